// End-to-end (issue #4): the web UI in real headless Chromium (Debian's /usr/bin/chromium through
// playwright-core) against the real HTTP server on loopback over a みほん町 store. The 管理者 logs in,
// opens a load report, runs the 年報 2022 and downloads its workbook, previews and downloads extract
// 02 (chart, XLSX, CSV UTF-8) and the person list 10 (purpose, CSV Shift_JIS with 𠮷 reported, XLSX
// opened by LibreOffice), and reads the 監査ログ; a 閲覧者 sees no person list and no 監査ログ; five
// wrong passwords lock an account. No page may log an error or break the CSP. Screenshots of every
// page go to tests/e2e/screenshots/.
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import type { Browser, BrowserContext, ConsoleMessage, Page, Response } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { libreOfficeSheets } from '../reports/helpers/libreoffice.ts';
import { FORMULA_ATENA, FORMULA_TEXT, NON_CP932_ATENA, PASSWORD, SHIEN_ATENA } from '../server/helpers.ts';
import {
  e2eHooks, chromiumMissing, download, isHttpError, launchChromium, loginAs, newContext, openNav, screenshot, startE2eServer, waitForPage, watchProblems,
  type E2eServer, type PageProblem,
} from './helpers.ts';

const PURPOSE = '敬老祝い金の案内送付のため（E2E テスト）';

/** Every fresh page asks /api/me before anyone has logged in: Chromium logs that 401 as an error. */
const notLoggedInYet = (m: ConsoleMessage) => isHttpError(m, '/api/me', 401);

/** The cells of an exceljs row as text (row.values is 1-based). */
function rowText(row: ExcelJS.Row): string[] {
  const values = Array.isArray(row.values) ? row.values.slice(1) : [];
  return values.map((v) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v)));
}

/** The visible text of every cell of a table's body rows. */
async function tableRows(page: Page, testid: string): Promise<string[][]> {
  return page.getByTestId(testid).locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => Array.from(tr.querySelectorAll('td'), (td) => (td.textContent ?? '').trim())));
}

async function tableHeader(page: Page, testid: string): Promise<string[]> {
  return page.getByTestId(testid).locator('thead th').allInnerTexts();
}

/** Opens extract `id` from the EUC catalogue and waits for its form. */
async function openExtract(page: Page, id: string): Promise<void> {
  await openNav(page, 'euc');
  await page.getByTestId(`euc-link-${id}`).click();
  await page.locator(`[data-testid="extract-form"][data-extract="${id}"]`).waitFor();
  await waitForPage(page, 'euc');
}

/** Clicks プレビュー, waits for the server's answer and the preview it renders. */
async function preview(page: Page): Promise<{ total: number; rows: number }> {
  const id = await page.getByTestId('extract-form').getAttribute('data-extract');
  const answered = page.waitForResponse((r) => new URL(r.url()).pathname === `/api/euc/${id}/preview`);
  await page.getByTestId('preview-button').click();
  expect((await answered).status()).toBe(200);
  await page.locator('[data-testid="extract-form"]:not([aria-busy])').waitFor();
  const total = page.getByTestId('preview-total');
  await total.waitFor();
  return { total: Number(await total.getAttribute('data-total')), rows: Number(await total.getAttribute('data-rows')) };
}

describe('web UI in headless Chromium (issue #4)', () => {
  let e2e: E2eServer;
  let browser: Browser;
  const contexts: BrowserContext[] = [];
  /** 管理者 'kanri': one page through the whole flow. */
  let page: Page;
  let problems: PageProblem[];
  /** The chart response seen by the 管理者's page. */
  const chartResponses: Response[] = [];

  beforeAll(async () => {
    if (chromiumMissing()) return; // every test fails in beforeEach: never skipped
    [e2e, browser] = await Promise.all([startE2eServer(), launchChromium()]);
    const context = await newContext(browser);
    contexts.push(context);
    problems = await watchProblems(context, notLoggedInYet);
    page = await context.newPage();
    page.on('response', (r) => {
      if (new URL(r.url()).pathname.endsWith('/chart.svg')) chartResponses.push(r);
    });
  });

  e2eHooks(() => ({ contexts, browser, server: e2e?.server }));

  it('管理者 logs in; ホーム shows みほん町, processedThrough 2022-01-31 and a load report', async () => {
    const first = await page.goto(e2e.url);
    expect(first?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.getByTestId('login-form').waitFor();
    await screenshot(page, '01-login');

    await page.getByLabel('利用者ID').fill('kanri');
    await page.getByLabel('パスワード').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await waitForPage(page, 'home');
    expect(page.url()).toMatch(/#\/home$/);

    await expect.poll(() => page.getByTestId('header-municipality').innerText()).toBe('みほん町（013854）');
    expect(await page.getByTestId('header-user').innerText()).toBe('kanri');
    expect(await page.getByTestId('header-role').innerText()).toBe('管理者');
    for (const nav of ['home', 'reports', 'euc', 'audit', 'users']) await expect.poll(() => page.getByTestId(`nav-${nav}`).count()).toBe(1);

    expect(await page.getByTestId('snapshot-name').innerText()).toBe('みほん町');
    expect(await page.getByTestId('snapshot-processed-through').innerText()).toBe('2022-01-31');
    expect(await page.getByTestId('loads-table').locator('tbody tr').count()).toBeGreaterThanOrEqual(1);

    const button = page.locator('[data-testid^="load-report-button-"]').first();
    await button.click();
    const report = page.getByTestId('load-report-text');
    await report.waitFor();
    const text = await report.innerText();
    expect(text).toContain('2022-01-31');
    expect(text.length).toBeGreaterThan(100);
    await screenshot(page, '02-home');
    expect(problems).toEqual([]);
  });

  it('統計: the 年報 2022 runs with every 整合性チェック OK, shows its tables and its workbook opens', async () => {
    await openNav(page, 'reports');
    const year = page.getByTestId('nenpo-year');
    expect(await year.inputValue()).toBe('2022'); // the day after processedThrough is in 2022
    await year.fill('2022');
    await page.getByTestId('nenpo-run').click();
    const result = page.getByTestId('report-result');
    await result.waitFor();

    expect(await result.locator('h2').innerText()).toContain('住民基本台帳関係年報 2022年');
    expect(await page.getByTestId('report-ok').innerText()).toBe('OK');
    expect(await page.getByTestId('check-ng').count()).toBe(0);
    expect(await page.getByTestId('check-ok').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('report-checks').innerText()).toContain('すべて OK');
    const tables = page.getByTestId('report-table');
    expect(await tables.count()).toBeGreaterThanOrEqual(1);
    expect(await tables.first().locator('tbody tr').count()).toBeGreaterThan(0);
    // codes stay text: 団体コード keeps its leading zero and gets no thousands separator
    expect(await tables.first().locator('tbody td').first().innerText()).toBe('013854');

    const links = page.getByTestId('report-file');
    const names = await links.allInnerTexts();
    expect(names).toContain('年報_2022_013854.xlsx');
    expect(names.some((n) => n.endsWith('.csv'))).toBe(true);
    await screenshot(page, '03-reports-nenpo-2022');

    const xlsx = await download(page, e2e.downloads, () => links.filter({ hasText: /\.xlsx$/ }).click());
    expect(xlsx.name).toBe('年報_2022_013854.xlsx');
    expect(xlsx.bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx.file);
    const ws = wb.getWorksheet('人口動態_日本人住民');
    expect(ws, `sheets: ${wb.worksheets.map((w) => w.name).join(', ')}`).toBeDefined();
    expect(String(ws!.getCell('A1').value)).toContain('令和4年1月1日');
    expect(String(ws!.getCell('A2').value)).toContain('013854');

    // 公表用: the age tables come with a suppressed variant whose small counts are X
    await page.getByTestId('report-public').check();
    await page.getByTestId('nenpo-run').click();
    await expect.poll(async () => (await page.getByTestId('report-file').allInnerTexts()).filter((n) => n.endsWith('_公表用.csv')).length, { timeout: 30_000 }).toBe(6);
    const pubTable = page.locator('section.report-table').filter({ has: page.locator('h3', { hasText: '年齢階級別人口_総計_公表用' }) });
    expect(await pubTable.locator('tbody').innerText()).toContain('X');
    expect(problems).toEqual([]);
  });

  it('EUC: extract 02 (各歳, 基準日 2022-01-01) previews with a rendered pyramid; XLSX and CSV hold the same rows', async () => {
    await openNav(page, 'euc');
    const list = page.getByTestId('euc-list');
    expect(await list.locator('[data-testid^="euc-item-"]').count()).toBeGreaterThanOrEqual(10);
    expect(await page.getByTestId('euc-item-02').getAttribute('data-allowed')).toBe('true');
    expect(await page.getByTestId('euc-item-10').getAttribute('data-allowed')).toBe('true'); // 管理者 includes 個人一覧
    expect(await page.locator('[data-testid^="euc-denied-"]').count()).toBe(0);
    await screenshot(page, '04-euc-catalogue');

    await page.getByTestId('euc-link-02').click();
    await page.locator('[data-testid="extract-form"][data-extract="02"]').waitFor();
    await waitForPage(page, 'euc');
    await page.getByTestId('param-kaikyu').selectOption('各歳');
    await page.getByTestId('param-kijunbi').fill('2022-01-01');

    const chartResponse = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/euc/02/chart.svg');
    const { total, rows } = await preview(page);
    expect(await page.getByTestId('error-box').isHidden()).toBe(true);
    expect(total).toBeGreaterThan(100); // 各歳: 0歳 … 100歳以上 × 男女 × 町丁字
    expect(rows).toBe(100); // the preview shows the first 100 rows
    expect(await page.getByTestId('preview-total').innerText()).toBe(`全 ${total.toLocaleString('ja-JP')} 件中 先頭 100 件`);
    expect(await page.getByTestId('preview-conditions').innerText()).toMatch(/各歳/);
    const header = await tableHeader(page, 'preview-table');
    expect(header).toEqual(['町丁字コード', '町丁字名', '年齢', '性別', '人口']);
    const shown = await tableRows(page, 'preview-table');
    expect(shown).toHaveLength(100);
    expect(shown[0]![2]).toBe('0歳');

    const chart = await chartResponse;
    expect(chart.status()).toBe(200);
    expect(chart.headers()['content-type']).toMatch(/^image\/svg\+xml/);
    const img = page.getByTestId('chart-img');
    await expect.poll(() => img.evaluate((el: HTMLImageElement) => el.complete && el.naturalWidth), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(await img.isVisible()).toBe(true);
    expect(chartResponses.length).toBeGreaterThanOrEqual(1);
    await screenshot(page, '05-extract-02-preview');

    const xlsx = await download(page, e2e.downloads, () => page.getByTestId('download-xlsx').click());
    expect(xlsx.name).toMatch(/^02_町丁字別_.*_2022-01-01\.xlsx$/);
    expect(await page.getByTestId('export-summary').innerText()).toContain(`${total.toLocaleString('ja-JP')} 行`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(xlsx.file);
    const ws = wb.worksheets[0]!;
    expect(wb.worksheets.map((w) => w.name)).toContain('条件');
    expect(rowText(ws.getRow(1))).toEqual(header);
    expect(ws.rowCount).toBe(total + 1);
    const xlsxRows: string[][] = [];
    ws.eachRow((row, n) => { if (n > 1) xlsxRows.push(rowText(row)); });
    expect(xlsxRows[0]).toEqual(shown[0]); // small integers: the screen's 桁区切り does not apply
    expect(xlsxRows.slice(0, 100)).toEqual(shown);
    expect(typeof ws.getRow(2).getCell(5).value).toBe('number');

    const csv = await download(page, e2e.downloads, () => page.getByTestId('download-csv').click());
    expect(csv.name).toBe(xlsx.name.replace(/\.xlsx$/, '.csv'));
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.bytes.toString('utf8')).toMatch(/^[^\n]*\r\n/); // CRLF
    const parsed = Papa.parse<string[]>(csv.bytes.toString('utf8').replace(/^\uFEFF/, ''), { skipEmptyLines: true }).data;
    expect(parsed[0]).toEqual(header);
    expect(parsed.slice(1)).toEqual(xlsxRows);
    const sum = (rs: string[][]) => rs.reduce((s, r) => s + Number(r[4]), 0);
    expect(sum(parsed.slice(1))).toBeGreaterThan(0);
    expect(sum(parsed.slice(1))).toBe(sum(xlsxRows));
    expect(problems).toEqual([]);
  });

  it('EUC: the person list 10 needs a purpose; CSV Shift_JIS reports 𠮷 and the XLSX opens in LibreOffice', async () => {
    await openExtract(page, '10');
    expect(await page.getByTestId('extract-form').locator('fieldset').evaluate((el: HTMLFieldSetElement) => el.disabled)).toBe(false);

    // without a purpose nothing is sent
    await page.getByTestId('preview-button').click();
    const error = page.getByTestId('error-box');
    await error.waitFor();
    expect(await error.innerText()).toContain('利用目的を入力してください');
    expect(await page.getByTestId('preview-total').count()).toBe(0);

    await page.getByTestId('purpose').fill(PURPOSE);
    const { total, rows } = await preview(page);
    expect(await error.isHidden()).toBe(true);
    expect(total).toBeGreaterThan(0);
    expect(rows).toBe(total);
    const header = await tableHeader(page, 'preview-table');
    expect(header).toEqual(['宛名番号', '氏名', '氏名カナ', '生年月日', '性別', '住所', '方書', '世帯番号', '続柄']);
    const shown = await tableRows(page, 'preview-table');
    const atena = shown.map((r) => r[0]);
    expect(atena).toContain(NON_CP932_ATENA);
    expect(atena).not.toContain(SHIEN_ATENA); // 支援措置: kanri does not hold 支援措置閲覧
    expect(shown.find((r) => r[0] === NON_CP932_ATENA)![1]).toMatch(/^𠮷/u);
    expect(shown.find((r) => r[0] === FORMULA_ATENA)![6]).toBe(FORMULA_TEXT); // shown as text, never run
    expect(await page.getByTestId('chart-img').count()).toBe(0);
    expect(await page.getByTestId('shien-note').isVisible()).toBe(true);

    const sjis = await download(page, e2e.downloads, () => page.getByTestId('download-csv-cp932').click());
    expect(sjis.name).toMatch(/^10_.*\.csv$/);
    const box = page.getByTestId('unmappable-box');
    await box.waitFor();
    expect(await box.innerText()).toContain('Shift_JIS で表せない文字が 1 件');
    const unmappable = await tableRows(page, 'unmappable-table');
    expect(unmappable).toEqual([[expect.any(String), '氏名', '𠮷', 'U+20BB7']]);
    await screenshot(page, '06-extract-10-person-list');

    expect([...sjis.bytes.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    const decoded = new TextDecoder('shift_jis', { fatal: true }).decode(sjis.bytes);
    const csvRows = Papa.parse<string[]>(decoded, { skipEmptyLines: true }).data;
    expect(csvRows[0]).toEqual(header);
    expect(csvRows).toHaveLength(total + 1);
    expect(csvRows.slice(1).map((r) => r[0])).toEqual(atena);
    const name = shown.find((r) => r[0] === NON_CP932_ATENA)![1]!;
    expect(csvRows.find((r) => r[0] === NON_CP932_ATENA)![1]).toBe(name.replace('𠮷', '〓'));
    expect(decoded).not.toContain('?');
    expect(csvRows.find((r) => r[0] === FORMULA_ATENA)![6]).toBe(`'${FORMULA_TEXT}`); // formula neutralised

    const xlsx = await download(page, e2e.downloads, () => page.getByTestId('download-xlsx').click());
    expect(xlsx.name).toMatch(/^10_.*\.xlsx$/);
    const sheets = libreOfficeSheets(xlsx.file);
    const [sheetName, data] = [...sheets].find(([n]) => n !== '条件')!;
    expect(sheetName).toContain('該当者一覧');
    expect(data[0]).toEqual(header);
    const loRows = data.slice(1).filter((r) => r.some((c) => c !== ''));
    expect(loRows.map((r) => r[0])).toEqual(atena);
    const lo1003 = loRows.find((r) => r[0] === NON_CP932_ATENA)!;
    expect(lo1003[1]).toBe(name); // 𠮷 kept in XLSX
    expect(lo1003[3]).toMatch(/^(平成|令和)\d+年\d+月\d+日$/); // a Japanese resident's 生年月日 in 和暦
    expect(loRows.find((r) => r[0] === FORMULA_ATENA)![6]).toContain('HYPERLINK'); // text, not the formula's result
    const conditions = sheets.get('条件')!.map((r) => r.join('\t')).join('\n');
    expect(conditions).toContain(PURPOSE);
    expect(conditions).toContain('kanri');
    expect(problems).toEqual([]);
  });

  it('閲覧者 sees extract 10 disabled and no 監査ログ or 利用者管理 in the navigation', async () => {
    const context = await newContext(browser);
    contexts.push(context);
    const seen = await watchProblems(context, notLoggedInYet);
    const p = await context.newPage();
    await loginAs(p, e2e.url, 'etsuran');
    expect(await p.getByTestId('header-role').innerText()).toBe('閲覧者');
    for (const nav of ['home', 'reports', 'euc']) expect(await p.getByTestId(`nav-${nav}`).count()).toBe(1);
    expect(await p.getByTestId('nav-audit').count()).toBe(0);
    expect(await p.getByTestId('nav-users').count()).toBe(0);

    await openNav(p, 'euc');
    expect(await p.getByTestId('euc-item-02').getAttribute('data-allowed')).toBe('true');
    for (const id of ['10', '11']) {
      expect(await p.getByTestId(`euc-item-${id}`).getAttribute('data-allowed')).toBe('false');
      expect(await p.getByTestId(`euc-denied-${id}`).innerText()).toContain('「個人一覧」の役割が必要です');
      expect(await p.getByTestId(`euc-link-${id}`).evaluate((el) => el.tagName)).toBe('SPAN'); // not a link
    }

    // typing the address does not help: the form is disabled and says why
    await p.goto(`${e2e.url}#/euc/10`);
    await p.locator('[data-testid="extract-form"][data-extract="10"]').waitFor();
    expect(await p.getByTestId('extract-form').locator('fieldset').evaluate((el: HTMLFieldSetElement) => el.disabled)).toBe(true);
    expect(await p.getByTestId('preview-button').isDisabled()).toBe(true);
    expect(await p.getByTestId('error-box').innerText()).toContain('この抽出は利用できません');

    await p.goto(`${e2e.url}#/audit`);
    await waitForPage(p, 'audit');
    expect(await p.getByTestId('page-audit').getByTestId('error-box').innerText()).toContain('権限がありません');
    expect(await p.getByTestId('audit-table').count()).toBe(0);
    expect(seen).toEqual([]);
  });

  it('five wrong passwords lock the account and the login form says so', async () => {
    const context = await newContext(browser);
    contexts.push(context);
    // the 401s and the 423s of /api/login are what this test provokes
    const seen = await watchProblems(context, (m) => notLoggedInYet(m) || isHttpError(m, '/api/login', 401) || isHttpError(m, '/api/login', 423));
    const p = await context.newPage();
    await p.goto(e2e.url);
    await p.getByTestId('login-form').waitFor();
    const error = p.getByTestId('error-box');
    const attempt = async (password: string) => {
      await p.getByLabel('利用者ID').fill('euc');
      await p.getByLabel('パスワード').fill(password);
      const answered = p.waitForResponse((r) => new URL(r.url()).pathname === '/api/login');
      await p.getByTestId('login-submit').click();
      await answered;
      await error.waitFor();
      return error.innerText();
    };
    for (let i = 1; i <= 4; i++) expect(await attempt(`wrong-password-${i}`)).toBe('利用者IDまたはパスワードが違います。');
    expect(await attempt('wrong-password-5')).toMatch(/5 回続けて失敗したため.*ロックしました/);
    // even the right password is refused while locked
    expect(await attempt(PASSWORD)).toMatch(/ロックされています/);
    expect(await p.getByTestId('page-login').count()).toBe(1);
    expect(await p.locator('#app-header').isHidden()).toBe(true);
    expect(seen).toEqual([]);
  });

  it('監査ログ shows the logins, the 年報, the previews and downloads, and the analyses', async () => {
    await openNav(page, 'audit');
    const table = page.getByTestId('audit-table');
    await table.waitFor();
    const types = new Set(await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type'))));
    for (const t of ['login.ok', 'report.run', 'report.downloaded', 'extract.previewed', 'extract.downloaded', 'login.failed', 'login.locked']) {
      expect(types, t).toContain(t);
    }
    const text = await table.innerText();
    expect(text).toContain(PURPOSE); // the person list's purpose is recorded
    expect(text).toContain('etsuran');

    const analyses = page.getByTestId('audit-analyses');
    await page.getByTestId('analysis-failedLogins').waitFor();
    const failed = await tableRows(page, 'analysis-failedLogins-table');
    expect(failed.find((r) => r[0] === 'euc')?.[1]).toMatch(/^[56]$/); // five wrong passwords (+ one while locked)
    expect(await analyses.innerText()).toContain('大量抽出');

    // the filter narrows to one type
    await page.getByTestId('audit-type').selectOption('extract.downloaded');
    await page.getByTestId('audit-search').click();
    await expect.poll(async () => new Set(await table.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-type')))))
      .toEqual(new Set(['extract.downloaded']));
    expect(Number(await page.getByTestId('audit-count').getAttribute('data-count'))).toBe(4); // 02 xlsx, csv; 10 csv-cp932, xlsx
    await page.getByTestId('audit-type').selectOption('');
    await page.getByTestId('audit-search').click();
    await expect.poll(() => table.locator('tbody tr').count()).toBeGreaterThan(4);
    await screenshot(page, '07-audit');
    expect(problems).toEqual([]);
  });

  it('利用者管理 lists the users and adds one with a generated password; ログアウト returns to the login view', async () => {
    await openNav(page, 'users');
    const table = page.getByTestId('users-table');
    await table.waitFor();
    const ids = (await tableRows(page, 'users-table')).map((r) => r[0]!.replace('（自分）', ''));
    expect(ids.sort()).toEqual(['etsuran', 'euc', 'kanri', 'kojin', 'kojin-shien']);

    const form = page.getByTestId('user-add-form');
    await form.getByLabel('利用者ID').fill('e2e-new');
    await page.getByTestId('user-add-role').selectOption('EUC担当');
    await page.getByTestId('user-add-submit').click();
    const password = page.getByTestId('generated-password');
    await password.waitFor();
    expect((await password.innerText()).length).toBeGreaterThanOrEqual(10);
    await page.getByTestId('user-row-e2e-new').waitFor();
    expect(await page.getByTestId('user-row-e2e-new').innerText()).toContain('EUC担当');
    await screenshot(page, '08-users');

    await page.getByTestId('logout-button').click();
    await page.getByTestId('login-form').waitFor();
    expect(await page.getByTestId('login-info').innerText()).toBe('ログアウトしました。');
    expect(await page.locator('#app-header').isHidden()).toBe(true);
    expect(problems).toEqual([]);
  });
});
