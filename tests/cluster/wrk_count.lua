-- wrk_count.lua: counts the answers wrk received by status, for the
-- cluster suite's counting (every 302 wrk saw must be one click row).
-- Printed at the end as "302 N other M".
local threads = {}

function setup(thread)
	table.insert(threads, thread)
end

function init(args)
	n302 = 0
	nother = 0
end

function response(status, headers, body)
	if status == 302 then
		n302 = n302 + 1
	else
		nother = nother + 1
	end
end

function done(summary, latency, requests)
	local a, b = 0, 0
	for _, t in ipairs(threads) do
		a = a + t:get("n302")
		b = b + t:get("nother")
	end
	io.write(string.format("302 %d other %d\n", a, b))
end
