/* pupil_data_t.c - the pupil-data analysis of one text: header rows of MIS
 * exports, distinct identifiers, name + DOB lines, and ordinary lists that
 * must not count; plus the header rules file and the excerpt format */
#include "config.h"
#include "../lib/tap.h"
#include "detectors/pupil_data.h"

static pk_rules *rules;

/* count - pupils in TEXT */
static int count(const char *text, guint *kinds)
{
	pk_result r;

	pk_analyse(rules, text, strlen(text), &r);
	if (kinds)
		*kinds = r.kinds;
	return r.records;
}

int main(void)
{
	const char *src = g_getenv("top_srcdir") ? g_getenv("top_srcdir") : ".";
	char *path = g_build_filename(src, "rules", "pupil_data", "headers.txt", NULL);
	GError *err = NULL;
	guint kinds;
	char *ex;

	rules = pk_rules_load(path, &err);
	if (!ok(rules != NULL, "rules/pupil_data/headers.txt loads"))
		return diag("%s", err->message), done_testing();
	is_int(pk_kind_of(rules, "Date of Birth (dd/mm/yyyy)", 26), PK_DOB, "header with a note still names DOB");
	is_int(pk_kind_of(rules, "Pupil Premium", 13), PK_PP, "'Pupil Premium' is pupil premium, not a name");
	is_int(pk_kind_of(rules, "Legal Surname", 13), PK_SURNAME, "'Legal Surname' is a surname");
	is_int(pk_kind_of(rules, "Year 7", 6), -1, "'Year 7' (a value) is not a header");
	{
		/* the ways class lists head a date-of-birth column */
		static const char *const dob[] = { "DOB", "D.O.B", "D.O.B.", "Date of Birth", "Birth date", "Birthdate",
						   "Birthday", "Birth Day", "Date of birth (dd/mm/yyyy)", "DOB (dd/mm/yyyy)",
						   "DateOfBirth", "Pupil DOB", "Child Birthday" };

		for (gsize i = 0; i < G_N_ELEMENTS(dob); i++)
			is_int(pk_kind_of(rules, dob[i], strlen(dob[i])), PK_DOB, "'%s' names DOB", dob[i]);
	}
	is_int(pk_kind_of(rules, "Year (NC)", 9), PK_YEAR, "a one-word header with a note in brackets");

	is_int(count("Surname,Forename,DOB,SEN\nSmith,Amy,01/02/2014,K\nJones,Ben,03/04/2014,\n"
		     "Smith,Amy,01/02/2014,K\n", &kinds), 2, "CSV export: duplicate rows count once");
	ok((kinds & (1u << PK_SEN)) && (kinds & (1u << PK_DOB)), "kinds include DOB and SEN");
	is_int(count("Name\tClass\tEHCP\nAmy Smith\t5B\tY\nBen Jones\t5B\tN\nCara Lee\t5A\tN\n", NULL), 3,
	       "tab-separated list with name, class and EHCP");
	is_int(count("\"Surname, Forename\";\"UPN\"\n\"Smith, Amy\";\"B801200005001\"\n", NULL), 1,
	       "quoted cells with the delimiter inside");
	is_int(count("Please update B801200005001 and P207000016049, and B801200005001 again.", &kinds), 2,
	       "free text: distinct valid UPNs");
	ok(kinds & (1u << PK_UPN), "UPN reported as a kind");
	is_int(count("Reference B801200005002 on the order.", NULL), 0, "a UPN-shaped code with a bad check letter");
	is_int(count("NHS numbers: 943 476 5919 and 9434765870", NULL), 2, "NHS numbers, spaced and plain, with the word NHS");
	is_int(count("Order 9434765919 shipped", NULL), 0, "a valid-looking 10-digit number without NHS/ULN nearby");
	is_int(count("Amy Smith, date of birth 01/02/2014, is moving.\nBen Jones DOB 3 March 2013.\n", NULL), 2,
	       "name and date of birth lines");
	is_int(count("Name,Date,Duty,Year group\nMr Smith,03/11/2026,Playground,Year 7\nMrs. Jones,04/11/2026,Lunch hall,Year 8\n"
		     "Dr A Patel,05/11/2026,Gate,Year 9\nMiss Khan,06/11/2026,Library,Year 10\n", NULL), 0,
	       "a staff duty rota (names with Mr, Mrs., Dr, Miss; year groups) is not pupil data");
	is_int(count("Name,Year group\nDrew Smith,Year 7\nMissy Jones,Year 8\nMrinal Patel,Year 9\nSirius Black,Year 10\n", NULL), 4,
	       "... while pupils whose names start like a title (Drew, Missy, Mrinal, Sirius) are counted");
	is_int(count("Name,UPN,Year\nMr Smith,B801200005001,7\n", NULL), 1,
	       "... and a row with a pupil's ID is a pupil whatever its name cell says");
	is_int(count("Name,SEN,FSM,Year\nMiss Amy Smith,K,Y,Year 7\nMr Ben Jones,,N,Year 7\n", NULL), 2,
	       "... and a title before each name does not hide a list with SEN or FSM");
	{
		/* pupil profiles written a field a line */
		static const char *const names[] = { "Amy Smith", "Ben Jones", "Cara Lee", "Dev Patel", "Eve Khan" };
		GString *t = g_string_new("Class 5B profiles\n\n");
		GString *split = g_string_new(NULL), *two = g_string_new(NULL), *forms = g_string_new(NULL);

		for (int i = 0; i < 5; i++) {
			g_string_append_printf(t, "Name: %s\nDOB: 0%d/02/2014\nSEN: %s\nYear: 5\n\n", names[i], i + 1, i % 2 ? "K" : "None");
			g_string_append_printf(split, "Forename:\t%.3s\nSurname: %s\nMedical needs: asthma\n", names[i], names[i] + 4);
			if (i < 2)
				g_string_append_printf(two, "Name: %s\nDate of birth: 0%d/02/2014\n", names[i], i + 1);
			g_string_append_printf(forms, "Name: %s\nClass: Economy\nYear: 2025\n", names[i]);
		}
		is_int(count(t->str, &kinds), 5, "profiles a field a line (Name:, DOB:, SEN:) count as pupils");
		ok((kinds & (1u << PK_SEN)) && (kinds & (1u << PK_DOB)), "... with their kinds");
		is_int(count(split->str, NULL), 5, "... forename and surname on lines of their own, a medical field");
		is_int(count(two->str, NULL), 0, "... but two are a form about two children, not a dataset");
		is_int(count(forms->str, NULL), 0, "... and name, class and year alone are a booking, not a pupil");
		g_string_free(t, TRUE);
		g_string_free(split, TRUE);
		g_string_free(two, TRUE);
		g_string_free(forms, TRUE);
	}

	{
		/* a header line past 4080 bytes, where the separator counts
		 * are summed in blocks: 5000 ";" must outnumber 4000 "," */
		GString *t = g_string_new("Surname;Forename;DOB");

		for (int i = 0; i < 5000; i++)
			g_string_append_c(t, ';');
		for (int i = 0; i < 4000; i++)
			g_string_append_c(t, ',');
		g_string_append(t, "\nSmith;Amy;01/02/2014\nJones;Ben;03/04/2014\n");
		is_int(count(t->str, NULL), 2, "a header line of 9,000 bytes: its separator is counted right");
		g_string_free(t, TRUE);
	}
	is_int(pk_kind_of(rules, "  (UPN)", 7), PK_UPN, "punctuation before a header word");
	is_int(pk_kind_of(rules, "SURNAME", 7), PK_SURNAME, "a header in capitals");

	is_int(count("Name,Day,Start,Finish,Duty\nAnna,Monday,08:30,09:00,Gate\nBen,Tuesday,08:30,09:00,Hall\n", NULL), 0,
	       "staff rota with first names is not pupil data");
	is_int(count("Period,Monday,Tuesday\n1,7A Maths,7B English\n2,Year 7 Art,Year 8 PE\n", NULL), 0,
	       "timetable is not pupil data");
	is_int(count("Invoice 2026-031 dated 01/03/2026\nGlue Sticks 30 12.00\nTotal Due 36.50\n", NULL), 0,
	       "invoice with dates and capitalised words is not pupil data");
	is_int(count("Sports Day is on 12/07/2026. Well done Amelia Jones!\n", NULL), 0,
	       "newsletter: a date and a name but no date of birth");

	{
		/* headerless lists: years of birth relative to this year, so
		 * the test does not age (the pupils are 9 to 14) */
		GDateTime *now = g_date_time_new_now_local();
		int y = g_date_time_get_year(now);
		char *t;

		g_date_time_unref(now);
		t = g_strdup_printf("Smith,John,12/03/%d,7B\nJones,Amy,05/11/%d,7B\nPatel,Raj,23/07/%d,7A\n"
				    "Khan,Ivy,30/01/%d,7A\nSmith,John,12/03/%d,7B\n", y - 13, y - 13, y - 14, y - 13, y - 13);
		is_int(count(t, &kinds), 4, "headerless CSV of names and school-age dates of birth: 4 distinct pupils");
		ok((kinds & (1u << PK_DOB)) && (kinds & (1u << PK_NAME)), "... reported as name and DOB");
		g_free(t);
		t = g_strdup_printf("Amy Smith\t%d-09-03\nBen Jones\t%d-01-17\nCara Lee\t%d-06-30\n", y - 9, y - 9, y - 10);
		is_int(count(t, NULL), 3, "... tab-separated, one name cell, ISO dates");
		g_free(t);
		t = g_strdup_printf("Smith,John,12/03/%d,7B\nJones,Amy,05/11/%d,7B\n", y - 13, y - 13);
		is_int(count(t, NULL), 0, "... but two rows are a note about two children, not a list");
		g_free(t);
		t = g_strdup_printf("Name,Start date,Post\nJohn Smith,01/09/%d,Teacher\nAmy Jones,04/01/%d,TA\n"
				    "Raj Patel,19/04/%d,Caretaker\n", y - 10, y - 12, y - 9);
		is_int(count(t, NULL), 0, "... and a header that names the date as something else says it is no DOB");
		g_free(t);
		t = g_strdup_printf("John Smith,01/09/%d,Teacher\nAmy Jones,01/09/%d,TA\nRaj Patel,01/09/%d,Caretaker\n"
				    "Eve Khan,01/09/%d,Cook\n", y - 10, y - 10, y - 10, y - 12);
		is_int(count(t, NULL), 0, "... and dates shared by most rows (start dates) are not birthdays");
		g_free(t);
		t = g_strdup_printf("%02d/03/%d,Tesco Stores,12.50\n%02d/04/%d,Amazon Marketplace,30.00\n"
				    "%02d/05/%d,Staples Office,8.99\n", 1, y - 3, 2, y - 3, 3, y - 3);
		is_int(count(t, NULL), 0, "... and rows with amounts (a statement) are not pupils");
		g_free(t);
		t = g_strdup_printf("Sat 14/03/%d,U12 Football,Oakwood Academy,Home\nSat 21/03/%d,U13 Netball,Hill School,Away\n"
				    "Monday,Fish and Chips,12/01/%d\nTuesday,Pasta Bake,13/01/%d\nWednesday,Roast Chicken,14/01/%d\n",
				    y, y, y, y, y);
		is_int(count(t, NULL), 0, "... nor are sports fixtures and a lunch menu, dated this year");
		g_free(t);
		t = g_strdup_printf("Öztürk,Zoë,12/03/%d,7B\nJones,Amy,05/11/%d,7B\nÖzil,Mesut,23/07/%d,7A\n"
				    "O'Neil,Siân,30/01/%d,7A\nNguyễn,Lan,02/02/%d,7A\nMüller,Jürgen,14/10/%d,7B\n",
				    y - 13, y - 13, y - 14, y - 13, y - 13, y - 14);
		is_int(count(t, NULL), 6, "... names in letters past ASCII are names: every row of the class counts");
		g_free(t);
		t = g_strdup_printf("John Smith,Safeguarding Level 1,12/03/%d\nAmy Jones,Safeguarding Level 1,05/11/%d\n"
				    "Raj Patel,First Aid at Work,23/07/%d\nEve Khan,Prevent,30/01/%d\n", y - 3, y - 3, y - 3, y - 3);
		is_int(count(t, NULL), 0, "... nor staff training records of three years ago");
		g_free(t);
		t = g_strdup_printf("John Smith,Teacher,01/09/%d\nAmy Jones,TA,01/09/%d\nRaj Patel,Caretaker,01/09/%d\n"
				    "Eve Khan,Cook,04/01/%d\n", y - 10, y - 7, y - 5, y - 12);
		is_int(count(t, NULL), 0, "... nor staff start dates over the years, mostly 1 September");
		g_free(t);
		t = g_strdup_printf("Behaviour Policy,01/09/%d,Governors\nCharging Policy,01/09/%d,Governors\n"
				    "Safeguarding Policy,01/09/%d,Head\nSEND Policy,12/03/%d,Governors\n", y - 5, y - 6, y - 5, y - 7);
		is_int(count(t, NULL), 0, "... nor a schedule of policy reviews");
		g_free(t);
		t = g_strdup_printf("Paris,12/03/%d,Year 9\nBerlin,05/11/%d,Year 10\nRome,23/07/%d,Year 8\nMadrid,30/01/%d,Year 11\n",
				    y - 6, y - 7, y - 8, y - 9);
		is_int(count(t, NULL), 0, "... nor a list of past trips: a place is not a person");
		g_free(t);
		t = g_strdup_printf("Amy Smith,12/03/%d\nBen Jones,05/11/%d\nCara Lee,23/07/%d\nDan Khan,30/01/%d\n",
				    y - 6, y - 9, y - 12, y - 15);
		is_int(count(t, NULL), 4, "... names with years of birth far apart (siblings, a school council) are pupils too");
		g_free(t);
		t = g_strdup_printf("de Souza,Maria,12/03/%d,7B\nvan Dijk,Ben,05/11/%d,7B\nJones,Mary Ann,23/07/%d,7A\n"
				    "Rahman,Abdul Aziz,30/01/%d,7A\n李,雷,02/02/%d,7B\nLee,Zoe\xcc\x88,14/10/%d,7B\n"
				    "Cook,Amy,09/09/%d,7B\nHead,Ben,19/12/%d,7A\n",
				    y - 13, y - 13, y - 14, y - 13, y - 13, y - 13, y - 13, y - 13);
		is_int(count(t, NULL), 8, "... surnames with particles, two-word forenames, a script without capitals, a decomposed accent, "
		       "surnames that are also staff posts");
		g_free(t);
		t = g_strdup_printf("Smith,John,12/03/%d,7B\nJones,Amy,05/11/%d,7B\nPatel,Raj,23/07/%d,7A\n"
				    "khan,ivy,30/01/%d,7A\nLee,Cara,02/02/%d,7B\nKhan,Dan,14/10/%d,7B\nHill,Eve,09/09/%d,7A\n",
				    y - 13, y - 13, y - 14, y - 13, y - 13, y - 13, y - 13);
		is_int(count(t, NULL), 6, "... a row the rule cannot read is no header: the rows below it still count");
		g_free(t);
		t = g_strdup_printf("John Smith,Teacher,14/03/%d\nAmy Jones,Teaching Assistant,02/06/%d\n"
				    "Raj Patel,Caretaker,19/04/%d\nEve Khan,Deputy Head,27/11/%d\n", y - 6, y - 6, y - 7, y - 7);
		is_int(count(t, NULL), 0, "... nor staff start dates on different days: a row naming a post is staff");
		g_free(t);
		t = g_strdup_printf("Behaviour Policy,14/03/%d,Governors\nCharging Policy,02/06/%d,Governors\n"
				    "Safeguarding Policy,19/04/%d,Head\nSEND Policy,27/11/%d,Governors\n", y - 5, y - 6, y - 5, y - 6);
		is_int(count(t, NULL), 0, "... nor policy reviews on different days");
		g_free(t);
		t = g_strdup_printf("Lake District,12/03/%d,Year 9\nPeak District,05/11/%d,Year 10\nNew Forest,23/07/%d,Year 8\n"
				    "Warwick Castle,30/01/%d,Year 7\n", y - 6, y - 7, y - 8, y - 9);
		is_int(count(t, NULL), 0, "... nor trips to places of two words");
		g_free(t);
		t = g_strdup_printf("Smith,John,03/04/1975,Teacher\nJones,Amy,12/11/1988,TA\nPatel,Raj,01/01/1969,Caretaker\n");
		is_int(count(t, NULL), 0, "... nor a staff list with adults' dates of birth");
		g_free(t);
		/* staff with dates of birth under a header: personal data, which the
		 * personal-data detector reports, but not pupils */
		is_int(count("Surname,Forename,DOB,NI number,Post\nSmith,John,03/04/1975,AB123456C,Teacher\n"
			     "Jones,Amy,12/11/1988,CD654321A,TA\nPatel,Raj,01/01/1969,JK112233B,Caretaker\n", NULL), 0,
		       "a staff list with adults' DOBs under a DOB header is not pupil data");
		t = g_strdup_printf("Surname,Forename,DOB,UPN\nSmith,John,03/04/1975,B801200005001\nJones,Amy,12/11/%d,\n", y - 13);
		is_int(count(t, NULL), 2, "... while a row with a UPN, or a school-age DOB, still counts");
		g_free(t);
	}

	ex = pk_excerpt(34, (1u << PK_SURNAME) | (1u << PK_FORENAME) | (1u << PK_DOB) | (1u << PK_UPN) | (1u << PK_SEN));
	is_str(ex, "34 pupils: name, DOB, UPN, SEN", "excerpt: count and kinds, each once, no values");
	g_free(ex);
	ex = pk_excerpt(1, 1u << PK_UPN);
	is_str(ex, "1 pupil: UPN", "excerpt: singular");
	g_free(ex);
	pk_rules_free(rules);
	g_free(path);
	return done_testing();
}
