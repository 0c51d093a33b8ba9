// language_peers.js - the npm word filters a web developer would reach for,
// run on the same texts as ours: one text per line on stdin, and per line
// "OBSCENITY<TAB>BAD_WORDS", each 1 if that library flags the text.
// Each uses its documented English set-up; nothing is tuned here.
'use strict';
const readline = require('readline');
const { RegExpMatcher, englishDataset, englishRecommendedTransformers } = require('obscenity');
const badWords = require('bad-words');

const obscenity = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
const Filter = badWords.Filter || badWords;	// 4.x exports { Filter }, 3.x the class
const filter = new Filter();

// flag - 1 if CHECK(TEXT) is true; a library that throws on a text (bad-words
// does on some punctuation-only input) has not flagged it
function flag(check, text) {
	try {
		return check(text) ? 1 : 0;
	} catch (e) {
		return 0;
	}
}

const out = [];
readline.createInterface({ input: process.stdin, crlfDelay: Infinity })
	.on('line', (text) => {
		out.push(flag((t) => obscenity.hasMatch(t), text) + '\t' + flag((t) => filter.isProfane(t), text));
	})
	.on('close', () => process.stdout.write(out.join('\n') + (out.length ? '\n' : '')));
