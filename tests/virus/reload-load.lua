-- reload-load.lua - the client side of reload-daemon.sh: sends mail carrying
-- EICAR (and, with marker set, one marker message) over fresh connections
-- until the file DIR/stop appears; writes how many it sent to DIR/sent.
dofile(top_srcdir .. "/tests/milter/lib.lua")
-- EICAR in two halves so this file is not flagged itself
local eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR" .. "-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

local function one(qid, body)
	local conn = connect()
	send(conn, qid, "pupil@pupils.school.example", {"friend@external.example"},
	     {{"From", "pupil@pupils.school.example"}, {"Subject", "load"}}, body)
	mt.disconnect(conn)
end

if marker then
	one(qid, "hello ESAFETY-RELOAD-MARKER-" .. marker .. "\r\n")
	return
end
local i = 0
while i < 20000 do
	local f = io.open(dir .. "/stop", "r")
	if f then f:close() break end
	i = i + 1
	one(string.format("LOAD%05d", i), "hi\r\n" .. eicar .. "\r\n")
end
local out = io.open(dir .. "/sent", "w")
out:write(tostring(i))
out:close()
