-- GET the floor endpoint: a constant JSON body from a plain Django view.
request = function()
  return wrk.format("GET", "/bench/floor")
end
