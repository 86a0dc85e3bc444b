import { execFileSync } from 'node:child_process';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAedRepository } from '../../api/db/aed-repository.ts';
import { createCampusRepository } from '../../api/db/campus-repository.ts';
import { createIncidentRepository } from '../../api/db/incident-repository.ts';
import { ADMIN, startAdminServer, type AdminServer } from '../integration/admin/admin-app.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { screenshotPath } from '../support/screenshots.ts';

/** Desktop-first: the console is used at a desk. */
const VIEWPORT = { width: 1440, height: 1000 };

describe.skipIf(!hasChromium)('the admin console in Chromium', () => {
  let server: AdminServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];

  beforeAll(async () => {
    // The console is part of the built web app, as `npm start` serves it.
    execFileSync('npx', ['tsx', 'scripts/ensure-web-build.ts'], { stdio: 'ignore', env: { ...process.env, NODE_ENV: 'production' } });
    [server, browser] = await Promise.all([startAdminServer(), launchChromium()]);
    page = await browser.newPage({ viewport: VIEWPORT, locale: 'zh-CN' });
    page.on('pageerror', (e) => errors.push(`${page.url()}: ${String(e)}`));
    page.on('console', (m) => m.type() === 'error' && !/status of 4\d\d/.test(m.text()) && errors.push(m.text()));
    // Record print requests instead of opening the system dialog.
    await page.addInitScript(() => {
      (window as unknown as { printed: number }).printed = 0;
      window.print = () => void ((window as unknown as { printed: number }).printed += 1);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Waits until the campus vector layers are drawn on the page's map. */
  const mapDrawn = () => page.locator('.admin-map .leaflet-overlay-pane canvas').first().waitFor();

  it('signs an admin in and lists the demo AEDs of the campus', async () => {
    await page.goto(`${server.url}/admin`);
    await page.getByLabel('电子邮箱').fill(ADMIN.email);
    await page.getByLabel('密码').fill(ADMIN.password);
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByRole('heading', { name: 'AED登记' }).waitFor()).resolves.toBeUndefined();
    await page.getByRole('button', { name: 'NU-DEMO-01', exact: true }).waitFor();
    await page.getByText('共 12 台').waitFor();
    // 二楼借还书服务台旁 is at OSM level 1: the table says 2 层, as the location text does.
    await expect(page.locator('tr', { hasText: 'NU-DEMO-01' }).locator('td').nth(2).textContent()).resolves.toBe('2 层 (1)');
    await mapDrawn();
    await page.screenshot({ path: await screenshotPath('admin-aed-registry.png') });
  });

  it('creates an AED by clicking its place on the map, after fixing bad opening hours', async () => {
    await page.getByRole('button', { name: '新建AED' }).first().click();
    const form = page.getByRole('form', { name: '新建AED' });
    await form.waitFor();
    const map = page.locator('.admin-map .leaflet-container').first();
    const box = (await map.boundingBox())!;
    // South-west of the campus: streets, no AED marker to catch the click.
    await map.click({ position: { x: box.width * 0.3, y: box.height * 0.85 } });
    await form.getByText(/纬度 42\.\d{6}/).waitFor();
    await form.getByLabel('编号（ref）').fill('NU-E2E-01');
    await form.getByLabel('位置（中文）').fill('图书馆一楼东门内侧墙上');
    await form.getByLabel('位置（英文）').fill('Library ground floor, inside the east door');
    await form.getByLabel('楼层（OSM level）').fill('0');
    await form.getByLabel('开放时间（opening_hours）').fill('Mo-Fr 8-18 maybe');
    await form.getByRole('button', { name: '保存' }).click();
    await form.locator('.field-problem').first().waitFor();
    await expect(form.locator('#aed-openingHours-problem').textContent()).resolves.toMatch(/opening_hours/);
    await form.getByLabel('开放时间（opening_hours）').scrollIntoViewIfNeeded();
    await page.screenshot({ path: await screenshotPath('admin-aed-invalid-hours.png') });
    await form.getByLabel('开放时间（opening_hours）').fill('Mo-Fr 08:00-18:00');
    await form.getByRole('button', { name: '保存' }).click();
    await page.getByRole('form', { name: '编辑AED' }).waitFor();
    await page.getByRole('button', { name: 'NU-E2E-01', exact: true }).waitFor();
    const stored = (await createAedRepository(server.database.db).listAll()).find((a) => a.externalRef === 'NU-E2E-01')!;
    expect(stored.tags).toMatchObject({ emergency: 'defibrillator', opening_hours: 'Mo-Fr 08:00-18:00', 'defibrillator:location:zh': '图书馆一楼东门内侧墙上', level: '0' });
    expect(stored.lat).toBeGreaterThan(42.04);
    expect(stored.lat).toBeLessThan(42.07);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: await screenshotPath('admin-aed-created.png') });
  });

  it('creates a QR spot on the map and prints its sheet', async () => {
    await page.getByRole('navigation').getByRole('link', { name: '二维码' }).click();
    const form = page.getByRole('form', { name: '新建二维码点位' });
    await form.waitFor();
    await mapDrawn();
    const map = page.locator('.admin-map .leaflet-container').first();
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width * 0.5, y: box.height * 0.5 } });
    await form.getByLabel('建筑').selectOption({ label: 'Norris University Center' });
    await form.getByLabel('楼层').fill('1');
    await form.getByLabel('张贴位置（中文）').fill('一楼东门电梯旁');
    await form.getByLabel('张贴位置（英文）').fill('Ground floor, east door, by the lifts');
    await form.getByRole('button', { name: '新建' }).click();
    const dialog = page.getByRole('dialog', { name: /打印预览/ });
    await dialog.waitFor();
    const sheet = dialog.getByRole('img', { name: /扫码急救/ });
    await sheet.waitFor();
    await expect(sheet.evaluate((img: HTMLImageElement) => img.decode().then(() => img.naturalWidth))).resolves.toBeGreaterThan(100);
    await dialog.getByRole('button', { name: '打印此页' }).click();
    await expect(page.evaluate(() => (window as unknown as { printed: number }).printed)).resolves.toBe(1);
    await page.screenshot({ path: await screenshotPath('admin-qr-print-preview.png') });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: await screenshotPath('admin-qr-print-media.png') });
    await page.emulateMedia({ media: 'screen' });
    await dialog.getByRole('button', { name: '关闭' }).click();
    const campuses = createCampusRepository(server.database.db);
    const created = (await campuses.listQrSpots()).find((s) => s.entranceZh === '一楼东门电梯旁')!;
    expect(created.code).toMatch(/^[a-z2-9]{8}$/);

    // The list counts floors as the admin does (OSM level 1 is 2 层), the level beside it for the forms.
    const floorCell = page.locator('tr', { hasText: created.code }).locator('td').nth(2);
    await expect(floorCell.textContent()).resolves.toBe('2 层 (1)');

    // 一楼 is the ground floor, OSM level 0: the admin corrects the floor under the same code and reprints.
    await page.getByRole('button', { name: `编辑 ${created.code}` }).click();
    const edit = page.getByRole('form', { name: `修改二维码点位 ${created.code}` });
    await expect(edit.getByLabel('张贴位置（中文）').inputValue()).resolves.toBe('一楼东门电梯旁');
    await edit.getByLabel('楼层').fill('第一层');
    await edit.getByRole('button', { name: '保存' }).click();
    await edit.locator('.field-problem').first().waitFor(); // not an OSM level: said under the field, nothing saved
    // In the page's language, under the field's own label (the API words it from Accept-Language).
    await expect(edit.locator('.field-problem').first().textContent()).resolves.toBe('须为 OSM 楼层（level）：0 为地面层（一楼），-1 为地下一层');
    await expect(edit.getByRole('alert').textContent()).resolves.toBe('楼层：须为 OSM 楼层（level）：0 为地面层（一楼），-1 为地下一层');
    expect((await campuses.findQrSpotById(created.id))?.floor).toBe('1');
    await edit.getByLabel('楼层').fill('0');
    await page.screenshot({ path: await screenshotPath('admin-qr-edit.png') });
    await edit.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor();
    await dialog.getByRole('button', { name: '关闭' }).click();
    expect(await campuses.findQrSpotById(created.id)).toMatchObject({ code: created.code, floor: '0', entranceZh: '一楼东门电梯旁' });
    await floorCell.filter({ hasText: '1 层 (0)' }).waitFor();
    await page.getByRole('form', { name: '新建二维码点位' }).waitFor();
  });

  it('verifies a pending volunteer, who then gets alerts', async () => {
    const res = await fetch(`${server.url}/api/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'li.na@example.org', password: 'volunteer-1', displayName: '李娜', certificateType: 'AHA BLS', certificateNumber: 'BLS-2025-0042', certificateIssuer: '红十字会', certificateExpiresOn: '2027-06-30' }),
    });
    expect(res.status).toBe(201);
    await page.getByRole('navigation').getByRole('link', { name: '志愿者' }).click();
    await page.getByRole('button', { name: '通过认证 李娜' }).click();
    await expect(page.getByLabel('证书到期日（核对证书后填写）').inputValue()).resolves.toBe('2027-06-30');
    await page.screenshot({ path: await screenshotPath('admin-volunteer-verify.png') });
    await page.getByRole('button', { name: '通过认证', exact: true }).click();
    await page.getByText('没有符合条件的志愿者。').waitFor();
    await page.getByRole('tab', { name: '已认证' }).click();
    const row = page.getByRole('row', { name: /李娜/ });
    await row.getByText('会收到警报').waitFor();
    await page.screenshot({ path: await screenshotPath('admin-volunteer-verified.png') });
  });

  it('shows an open incident with its timeline', async () => {
    const incidents = createIncidentRepository(server.database.db);
    const start = new Date(Date.now() - 120_000);
    const at = (s: number) => new Date(start.getTime() + s * 1000);
    const incident = await incidents.insert({ clientRequestId: 'e2e-1', publicTokenHash: 'x', lat: 42.05327, lng: -87.67298, h3Cell: '892664da37bffff', locationText: 'Norris University Center\u001f1\u001fEast door\u001f东门', createdAt: start });
    // 李娜, verified above, accepted at 14 s and is on her way.
    const [li] = await server.database.db.query.users.findMany({ where: (u, { eq }) => eq(u.email, 'li.na@example.org') });
    await incidents.insertDispatches([{ incidentId: incident.id, volunteerId: li.id, role: 'cpr', status: 'accepted', etaS: 95, alertedAt: at(1), answeredAt: at(14), lat: 42.0541, lng: -87.6745, positionAt: at(60) }]);
    await incidents.appendEvents([
      { incidentId: incident.id, type: 'created', at: start },
      { incidentId: incident.id, type: 'planned', at: at(1), data: { cprEtaS: 95, aedEtaS: 170 } },
      { incidentId: incident.id, type: 'alerted', at: at(1), actorId: li.id, data: { role: 'cpr' } },
      { incidentId: incident.id, type: 'accepted', at: at(14), actorId: li.id, data: { role: 'cpr' } },
    ]);
    await page.getByRole('navigation').getByRole('link', { name: '事件' }).click();
    // The spot in the page's language, its floor counted as in China (OSM level 1 is 2 层).
    await page.getByRole('row', { name: /Norris University Center · 2 层 · 东门/ }).getByRole('button').click();
    await page.getByRole('heading', { name: /时间线/ }).waitFor();
    await page.getByRole('cell', { name: '调度计划' }).waitFor();
    await page.getByRole('cell', { name: '李娜' }).first().waitFor();
    await page.screenshot({ path: await screenshotPath('admin-incidents.png') });

    // A drill from the same page: simulated volunteers, an incident marked as a drill.
    await page.getByRole('button', { name: /开始一次演练/ }).click();
    await page.getByRole('status').filter({ hasText: '演练已开始' }).waitFor();
    await page.getByRole('row').filter({ hasText: '演练' }).first().waitFor();
    await page.screenshot({ path: await screenshotPath('admin-drill.png') });
  });

  it('draws the coverage map with the share within four minutes and a suggested site', async () => {
    await page.getByRole('navigation').getByRole('link', { name: '覆盖地图' }).click();
    await page.getByLabel('星期').selectOption('2');
    await page.getByLabel('时刻').selectOption('14');
    await page.getByTestId('coverage-share').waitFor();
    await expect(page.getByTestId('coverage-share').textContent()).resolves.toMatch(/^\d+\.\d%$/);
    await page.getByRole('heading', { name: '新增一台AED的最佳位置' }).waitFor();
    await page.locator('.coverage-star').first().waitFor();
    // The suggested sites are named in the page's language: no QR spot's English entrance on a Chinese page.
    const suggested = await page.getByRole('heading', { name: '新增一台AED的最佳位置' }).locator('..').locator('li strong').allTextContents();
    expect(suggested.length).toBeGreaterThan(0);
    for (const name of suggested) expect(name).not.toMatch(/Entrance \(/);
    await mapDrawn();
    await page.screenshot({ path: await screenshotPath('admin-coverage.png') });
    expect(errors).toEqual([]);
  });

  it('fits a phone: every section as wide as the screen, sign-out within reach', async () => {
    const width = 390;
    await page.setViewportSize({ width, height: 844 }); // the signed-in page, turned into a phone
    try {
      for (const name of ['AED登记', '二维码', '志愿者', '事件', '覆盖地图']) {
        await page.getByRole('navigation').getByRole('link', { name }).click();
        await page.getByRole('heading', { level: 2 }).first().waitFor();
        await page.waitForLoadState('networkidle');
        // Tables scroll sideways in their own box; the page itself never does.
        expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(width);
      }
      const signOut = (await page.getByRole('button', { name: '退出' }).boundingBox())!;
      expect(signOut.x + signOut.width).toBeLessThanOrEqual(width);
      await page.screenshot({ path: await screenshotPath('admin-phone-coverage.png') });
      expect(errors).toEqual([]);
    } finally {
      await page.setViewportSize(VIEWPORT);
    }
  });
});
