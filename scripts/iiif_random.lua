-- wrk script: 1024-px IIIF images of random regions of a page, so that no
-- response comes from the server's cache.
math.randomseed(os.time())
request = function()
  local x = math.random(0, 400)
  local y = math.random(0, 600)
  return wrk.format("GET", "/iiif/yn-2017-05-p02/" .. x .. "," .. y .. ",2000,2800/1024,/0/default.jpg")
end
