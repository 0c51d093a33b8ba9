-- lib.lua - shared steps for the milter-protocol tests: TAP output and a
-- message sent the way Postfix sends it (connect, macros, envelope, headers, body).
failures = 0

function check(cond, desc)
	if cond then
		mt.echo("ok - " .. desc)
	else
		mt.echo("not ok - " .. desc)
		failures = failures + 1
	end
end

-- connect to the milter under test, as a client at IP
function connect(ip)
	local conn = mt.connect(sock, 20, 0.1)
	if conn == nil then error("cannot connect to " .. sock) end
	if mt.conninfo(conn, "client.example", ip or "127.0.0.1") ~= nil then error("conninfo failed") end
	return conn
end

-- send one message; headers is a list of {name, value}; returns after EOM
function send(conn, qid, from, rcpts, headers, body, auth)
	mt.macro(conn, SMFIC_MAIL, "i", qid, "{auth_authen}", auth or "")
	if mt.mailfrom(conn, "<" .. from .. ">") ~= nil then error("mailfrom failed") end
	for _, r in ipairs(rcpts) do
		if mt.rcptto(conn, "<" .. r .. ">") ~= nil then error("rcptto failed") end
	end
	for _, h in ipairs(headers) do
		if mt.header(conn, h[1], h[2]) ~= nil then error("header failed") end
	end
	if mt.eoh(conn) ~= nil then error("eoh failed") end
	-- in chunks, as an MTA sends them (the protocol caps one at 64 KB)
	for i = 1, string.len(body), 60000 do
		if mt.bodystring(conn, string.sub(body, i, i + 59999)) ~= nil then error("body failed") end
	end
	if mt.eom(conn) ~= nil then error("eom failed") end
end

function finish(conn)
	mt.disconnect(conn)
	if failures > 0 then error(failures .. " check(s) failed") end
end
