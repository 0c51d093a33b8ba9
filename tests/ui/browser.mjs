// browser.mjs - a person's session in the quarantine UI, in Debian's
// chromium through playwright-core: log in, open an incident, record a
// decision, release the held message, view the governor report, log out.
// Prints TAP lines (the plan is printed by browser.sh).
// usage: node browser.mjs BASE_URL HELD_ID SCREENSHOT_DIR PROFILE_DIR
import { chromium } from 'playwright-core';

const [base, heldId, shots, profile] = process.argv.slice(2);
let n = 0;
let failed = 0;

// ok - one TAP line
function ok(cond, name) {
  n += 1;
  if (!cond) failed += 1;
  console.log(`${cond ? '' : 'not '}ok ${n} - ${name}`);
}

// login - fill the login form as USER
async function login(page, user) {
  await page.goto(`${base}/login`);
  await page.fill('#user', user);
  await page.fill('#password', `${user}-password`);
  await Promise.all([page.waitForNavigation(), page.click('#login')]);
}

const context = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 900 },
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const cspErrors = [];
try {
  const page = context.pages()[0] || await context.newPage();
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspErrors.push(m.text()); });

  await page.goto(`${base}/incident/${heldId}`);
  ok(new URL(page.url()).pathname === '/login', 'an incident without logging in shows the login page');

  await login(page, 'lead1');
  ok(new URL(page.url()).pathname === '/', 'the lead logs in and lands on the inbox');
  const rows = await page.locator('table.inbox tbody tr').count();
  ok(rows === 5, `the inbox lists the school's 5 incidents (got ${rows})`);
  ok(await page.locator('.badge.repeat').count() >= 1, 'a repeat sender is marked');
  await page.screenshot({ path: `${shots}/inbox.png`, fullPage: true });

  await page.selectOption('select[name=category]', 'grooming');
  await Promise.all([page.waitForNavigation(), page.click('form.filters button[type=submit]')]);
  ok(await page.locator('table.inbox tbody tr').count() === 1, 'filtering by category leaves the grooming incident');

  await Promise.all([page.waitForNavigation(), page.click(`a[href="/incident/${heldId}"]`)]);
  ok((await page.title()).includes('meet me after school <b>alone</b>'), 'the incident opens; its subject is text, not markup');
  ok(await page.locator('h1 b').count() === 0, 'no <b> element came from the subject');
  const marks = await page.locator('pre.mailtext mark').allTextContents();
  ok(marks.some((m) => /meet me alone/i.test(m)), 'the finding is highlighted in the text');
  ok(await page.locator('table.findings').innerText().then((t) => t.includes('grooming-secrecy')), 'each finding is explained by its rule');
  await page.screenshot({ path: `${shots}/incident.png`, fullPage: true });

  await page.selectOption('#status', 'actioned');
  await page.selectOption('#outcome', 'referred to DSL');
  await page.fill('#notes', 'Passed to the DSL; parents called.');
  await Promise.all([page.waitForNavigation(), page.click('#save-decision')]);
  ok((await page.locator('#current-status').innerText()) === 'actioned', 'the decision is saved');
  ok((await page.locator('#history').innerText()).includes('lead1'), 'the history shows who decided');

  await Promise.all([page.waitForNavigation(), page.click('#release')]);
  await Promise.all([page.waitForNavigation(), page.click('#confirm-release')]);
  const result = await page.locator('#release-result').innerText();
  ok(/accepted the message/.test(result), `the release is reported as accepted (${result.trim()})`);
  ok((await page.locator('pre.smtp').innerText()).includes('250'), "the MTA's answer is shown");

  await page.goto(`${base}/report?period=month`);
  ok(await page.locator('figure.chart svg').count() >= 3, 'the report draws its charts as inline SVG');
  await Promise.all([page.waitForNavigation(), page.click('#logout')]);
  ok(new URL(page.url()).pathname === '/login', 'the lead logs out');
  await page.goto(`${base}/`);
  ok(new URL(page.url()).pathname === '/login', 'after logging out the inbox needs a login again');

  await login(page, 'gov1');
  ok(new URL(page.url()).pathname === '/report', 'a governor lands on the report');
  const text = await page.locator('main').innerText();
  ok(text.includes('Anonymised') && !text.includes('@'), 'the governor report has no names or addresses');
  ok(await page.locator('figure.chart svg rect').count() > 0, 'the governor report has charts');
  await page.screenshot({ path: `${shots}/report.png`, fullPage: true });
  await Promise.all([page.waitForNavigation(), page.click('#logout')]);
  ok(new URL(page.url()).pathname === '/login', 'the governor logs out');
  ok(cspErrors.length === 0, `no Content-Security-Policy violations (${cspErrors.length})`);
} catch (e) {
  ok(false, `browser session: ${e.message}`);
} finally {
  await context.close();
}
process.exit(failed ? 1 : 0);
