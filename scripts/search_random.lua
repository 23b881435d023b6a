-- wrk script: searches for the queries of target/search-queries.txt (2 to 4
-- characters of the corpus texts, one a line, written by
-- `cargo bench --bench archive`) on random result pages, so that almost no
-- response comes from the server's cache.
local q = {}
for line in io.lines("target/search-queries.txt") do
  if #line > 0 then
    q[#q + 1] = line:gsub("[^%w]", function(c) return string.format("%%%02X", string.byte(c)) end)
  end
end
math.randomseed(os.time())
request = function()
  return wrk.format("GET", "/api/search?q=" .. q[math.random(#q)] .. "&page=" .. math.random(1, 20))
end
