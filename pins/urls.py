from django.urls import path, re_path

from pins.views import PinnedCollectionView, PinnedProjectView

urlpatterns = [
    path("pinned", PinnedCollectionView.as_view(), name="pinned-list"),
    # Any single path segment reaches the view, which answers 400 with the
    # projectId rule when the segment breaks it. The parameter keeps the name
    # clients see in the schema and the docs.
    re_path(r"^pinned/(?P<projectId>[^/]+)\Z", PinnedProjectView.as_view(), name="pinned-detail"),
]
