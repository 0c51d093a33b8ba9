-- actions.lua - one message through each of the milter's actions, for the
-- valgrind test (valgrind.sh); -D phase=main|store-error|discard picks the set.
dofile(top_srcdir .. "/tests/milter/lib.lua")
local pupil, amy = "tom@pupils.school.example", "amy@pupils.school.example"
local hdrs = {{"From", pupil}, {"Subject", "hello"}}
local eicar = "X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"

-- one - a message on its own connection; returns the connection after EOM
local function one(qid, from, rcpts, headers, body)
	local conn = connect()
	send(conn, qid, from, rcpts, headers, body)
	return conn
end

if phase == "main" then
	local c = one("VGCLEAN1", "teacher@staff.school.example", {"parent@external.example"},
		{{"From", "teacher@staff.school.example"}, {"Subject", "trip"}}, "The coach leaves at 9.\r\n")
	check(mt.getreply(c) == SMFIR_ACCEPT, "clean: accepted")
	mt.disconnect(c)
	c = one("VGCOPY01", pupil, {amy}, hdrs, "you are such a bellend\r\n")
	check(mt.eom_check(c, MT_HDRADD, "X-ESafety-Verdict", "copy"), "profanity: copy")
	mt.disconnect(c)
	c = one("VGREJ001", pupil, {amy}, hdrs, "I will stab you tomorrow\r\n")
	check(mt.getreply(c) == SMFIR_REPLYCODE, "threat: refused with a reply")
	mt.disconnect(c)
	c = one("VGHOLD01", pupil, {amy, "ben@pupils.school.example"}, hdrs, "just kys\r\n")
	check(mt.eom_check(c, MT_HDRADD, "X-ESafety-Verdict", "hold"), "self-harm: hold")
	mt.disconnect(c)
	c = one("VGVIR001", "x@external.example", {amy}, {{"From", "x@external.example"},
		{"Subject", "invoice"}, {"MIME-Version", "1.0"},
		{"Content-Type", "multipart/mixed; boundary=\"zz\""}},
		"--zz\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--zz\r\n" ..
		"Content-Type: application/octet-stream; name=\"a.com\"\r\n\r\n" .. eicar .. "\r\n--zz--\r\n")
	check(mt.getreply(c) == SMFIR_REPLYCODE, "virus: refused with a reply")
	mt.disconnect(c)
	-- a legacy Office workbook (libgsf, then xls.c's BIFF8 reader) and a
	-- PDF table (poppler's layout), as raw bytes: the readers of this
	-- session's change under memcheck too
	local function file(name)
		local f = assert(io.open(dir .. "/fx/" .. name, "rb"))
		local data = f:read("*a")
		f:close()
		return data
	end
	for i, name in ipairs({"pupils_5.xls", "formula.xls", "pupils_5_cells.pdf"}) do
		c = one("VGOFFIC" .. i, "teacher@staff.school.example", {"office@staff.school.example"},
			{{"From", "teacher@staff.school.example"}, {"Subject", "list"}, {"MIME-Version", "1.0"},
			{"Content-Type", "multipart/mixed; boundary=\"zz\""}},
			"--zz\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n--zz\r\n" ..
			"Content-Type: application/octet-stream; name=\"" .. name .. "\"\r\n" ..
			"Content-Transfer-Encoding: binary\r\n\r\n" .. file(name) .. "\r\n--zz--\r\n")
		check(mt.getreply(c) ~= nil, name .. ": answered")
		mt.disconnect(c)
	end
	c = one("VGFORGE1", pupil, {amy}, {{"From", pupil}, {"X-ESafety-Verdict", "accept"},
		{"X-ESafety-Release", "forged"}}, "see you in maths\r\n")
	check(mt.eom_check(c, MT_HDRDELETE, "X-ESafety-Verdict") or mt.eom_check(c, MT_HDRCHANGE, "X-ESafety-Verdict"),
		"forged X-ESafety-Verdict removed")
	mt.disconnect(c)
	c = one("VGSPILL1", pupil, {amy}, hdrs, string.rep("the quick brown fox jumps over\r\n", 400) .. "bellend\r\n")
	check(mt.eom_check(c, MT_HDRADD, "X-ESafety-Verdict", "copy"), "spilled to a file and scanned whole: copy")
	mt.disconnect(c)
	c = one("VGBIG001", pupil, {amy}, hdrs, string.rep("0123456789abcdef\r\n", 20000))
	check(mt.eom_check(c, MT_SMTPREPLY, "451", "4.7.1", "Message not accepted now; please try again later"),
		"oversize: 451 tempfail")
	mt.disconnect(c)
	c = connect()
	mt.macro(c, SMFIC_MAIL, "i", "VGABORT1")
	mt.mailfrom(c, "<" .. pupil .. ">")
	mt.rcptto(c, "<" .. amy .. ">")
	mt.header(c, "Subject", "aborted")
	mt.abort(c)
	mt.disconnect(c)
	check(true, "a transaction aborted after the headers")
elseif phase == "store-error" then
	local c = one("VGSTORE1", pupil, {amy}, hdrs, "you are such a bellend\r\n")
	check(mt.eom_check(c, MT_SMTPREPLY, "451", "4.7.1", "Message not accepted now; please try again later"),
		"quarantine unwritable: 451 tempfail")
	mt.disconnect(c)
elseif phase == "discard" then
	local c = one("VGDISC01", pupil, {amy}, hdrs, "just kys\r\n")
	check(mt.getreply(c) == SMFIR_DISCARD, "hold without the mailbox (after reload): discard")
	mt.disconnect(c)
end
if failures > 0 then error(failures .. " check(s) failed") end
