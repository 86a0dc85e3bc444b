import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startAppProcess, type AppProcess } from '../support/app-process.ts';
import { hasChromium, launchChromium } from '../support/browser.ts';
import { screenshotPath } from '../support/screenshots.ts';
import { apiCall, collectErrors, demoQrCode, demoQrSpots, eventually, phoneContext } from './e2e-helpers.ts';

const ADMIN = { email: 'admin@example.org', password: 'admin-Secret-1' };

describe.skipIf(!hasChromium)('the first four minutes, in two browsers', () => {
  let app: AppProcess;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startAppProcess({ ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('a volunteer on duty is alerted by a bystander SOS, accepts, arrives and closes the incident', { timeout: 120_000 }, async () => {
    const code = demoQrCode(app);
    const spot = await apiCall<{ lat: number; lng: number; buildingName: string; floor: string | null; entrance: string; entranceZh: string }>(app, 'GET', `/qr/${code}`);
    expect(spot.status).toBe(200);
    expect(spot.body.entranceZh).toMatch(/^(正门|入口（.+侧）)/);
    // About 55 m north of the QR spot: well inside the four-minute walk.
    const near = { lat: spot.body.lat + 0.0005, lng: spot.body.lng };

    // The volunteer registers, is verified by an admin, and goes on duty.
    const volunteerContext = await phoneContext(browser, app, { at: near });
    const volunteer = await volunteerContext.newPage();
    const volunteerErrors = collectErrors(volunteer);
    await volunteer.goto(`${app.url}/responder`);
    await volunteer.getByRole('heading', { name: '登录' }).waitFor();
    await volunteer.screenshot({ path: await screenshotPath('responder-1-sign-in.png') });
    await volunteer.getByRole('button', { name: '还没有账号？注册' }).click();
    const email = `vol-${Date.now()}@example.org`;
    await volunteer.getByLabel('电子邮箱').fill(email);
    await volunteer.getByLabel('密码').fill('correct-horse-9');
    await volunteer.getByLabel('姓名（显示名）').fill('李明');
    await volunteer.getByLabel('急救证书类型（选填）').fill('红十字救护员证');
    await volunteer.getByLabel('证书编号（选填）').fill('RC-2025-001');
    await volunteer.getByLabel('证书有效期至（选填）').fill('2030-06-30');
    await volunteer.screenshot({ path: await screenshotPath('responder-2-register.png') });
    await volunteer.getByRole('button', { name: '提交注册' }).click();
    await volunteer.getByRole('heading', { name: '等待审核' }).waitFor();
    await volunteer.screenshot({ path: await screenshotPath('responder-3-pending.png') });

    const session = JSON.parse((await volunteer.evaluate(() => localStorage.getItem('aed.session')))!) as { token: string; user: { id: string } };
    const admin = await apiCall<{ token: string }>(app, 'POST', '/auth/login', ADMIN);
    expect(admin.status).toBe(200);
    const verified = await apiCall<{ verification: string }>(app, 'POST', `/admin/volunteers/${session.user.id}/verify`, {}, admin.body.token);
    expect(verified.status, 'POST /api/admin/volunteers/:id/verify must verify the volunteer').toBe(200);

    await volunteer.reload();
    await volunteer.getByText('已认证志愿者').waitFor();
    await volunteer.getByRole('button', { name: '上岗（开始接收警报）' }).click();
    await volunteer.getByRole('heading', { name: '在岗中' }).waitFor();
    await volunteer.getByText(/正在共享位置/).waitFor();
    await volunteer.getByText('已连接，警报会实时送达').waitFor();
    await eventually(async () => (await apiCall<{ position: unknown }>(app, 'GET', '/volunteer/duty', undefined, session.token)).body.position, 'the shared position to reach the server');
    await volunteer.screenshot({ path: await screenshotPath('responder-4-on-duty.png') });

    // The bystander scans the QR code: a 320 px phone, no GPS permission.
    const bystanderContext = await phoneContext(browser, app, { width: 320, height: 640 });
    const bystander = await bystanderContext.newPage();
    const bystanderErrors = collectErrors(bystander);
    await bystander.goto(`${app.url}/e/${code}`);
    const sos = bystander.getByRole('button', { name: /SOS/ });
    await sos.waitFor();
    await expect(bystander.getByRole('link', { name: '拨打 120' }).getAttribute('href')).resolves.toBe('tel:120');
    await bystander.getByRole('heading', { name: spot.body.buildingName }).waitFor();
    // A Chinese page names the entrance in Chinese, not in the English of the campus data.
    const spotDetail = bystander.locator('.spot-detail');
    await spotDetail.getByText(spot.body.entranceZh).waitFor();
    expect(await spotDetail.textContent()).not.toContain(spot.body.entrance);
    // Its floor, OSM level 0, as floors are counted in China: the ground floor is 1 层.
    expect(spot.body.floor).toBe('0');
    await spotDetail.getByText('1 层').waitFor();
    expect(await bystander.evaluate(() => typeof (window as { L?: unknown }).L)).toBe('undefined');
    await bystander.screenshot({ path: await screenshotPath('bystander-1-before-sos.png') });
    await sos.click();

    await bystander.getByTestId('incident-status').waitFor();
    await bystander.getByText('已通知 1 名志愿者').waitFor();
    await bystander.getByText(/若有人接受/).first().waitFor();
    await bystander.getByText('实时更新').waitFor();

    // The volunteer's phone takes over the screen.
    const alert = volunteer.getByRole('alertdialog');
    await alert.waitFor();
    await alert.getByText(spot.body.buildingName).waitFor();
    await alert.getByText(spot.body.entranceZh).waitFor();
    await volunteer.screenshot({ path: await screenshotPath('responder-5-alert.png') });
    await bystander.screenshot({ path: await screenshotPath('bystander-2-sos-sent.png') });
    await alert.getByRole('button', { name: '接受' }).click();
    await volunteer.getByTestId('mission').waitFor();
    await volunteer.getByTestId('patient-spot').getByText(spot.body.buildingName).waitFor();
    await volunteer.locator('[data-layers=ready] .leaflet-container').waitFor();
    await volunteer.screenshot({ path: await screenshotPath('responder-6-mission.png') });

    // The bystander sees the ETA become a confirmed one.
    await bystander.getByText('1 人已接受，正在赶来').waitFor();
    await bystander.getByText(/约 \d+:\d\d 后到达/).waitFor();
    await bystander.locator('[data-layers=ready] .leaflet-container').waitFor();
    await bystander.screenshot({ path: await screenshotPath('bystander-3-accepted.png'), fullPage: true });

    await volunteer.getByRole('button', { name: '我已到达' }).click();
    await volunteer.getByText('已到达。开始或协助心肺复苏。').waitFor();
    await bystander.getByText('已到达').first().waitFor();
    await bystander.screenshot({ path: await screenshotPath('bystander-4-arrived.png') });

    await volunteer.getByRole('button', { name: '结束事件（患者已交给专业人员）' }).click();
    await volunteer.getByRole('button', { name: '是', exact: true }).click();
    await volunteer.getByText('事件已结束。谢谢你！').waitFor();
    await volunteer.screenshot({ path: await screenshotPath('responder-7-closed.png') });
    await bystander.getByText('事件已结束。谢谢你的帮助！').waitFor();
    await expect(bystander.getByRole('link', { name: '拨打 120' }).isVisible()).resolves.toBe(true);
    await bystander.screenshot({ path: await screenshotPath('bystander-5-resolved.png') });

    // Off duty: no more alerts, and the server forgets the position.
    await volunteer.getByRole('button', { name: '知道了' }).click();
    await volunteer.getByRole('button', { name: '下岗' }).click();
    await volunteer.getByRole('heading', { name: '未在岗' }).waitFor();
    const duty = await apiCall<{ onDuty: boolean; position: unknown }>(app, 'GET', '/volunteer/duty', undefined, session.token);
    expect(duty.body).toMatchObject({ onDuty: false, position: null });

    expect(volunteerErrors).toEqual([]);
    expect(bystanderErrors).toEqual([]);
    await Promise.all([volunteerContext.close(), bystanderContext.close()]);
  });

  it('a volunteer whose app was closed during the alert gets it on reopening, and hears of the cancel', { timeout: 120_000 }, async () => {
    const spot = demoQrSpots()[40]!;
    const near = { lat: spot.lat - 0.0004, lng: spot.lng };
    // Registered and verified through the API; the app starts signed in (the session is in localStorage).
    const email = `vol2-${Date.now()}@example.org`;
    const reg = await apiCall<{ token: string; expiresAt: string; user: { id: string } }>(app, 'POST', '/auth/register', { email, password: 'correct-horse-9', displayName: 'Wang Fang' });
    expect(reg.status).toBe(201);
    const admin = await apiCall<{ token: string }>(app, 'POST', '/auth/login', ADMIN);
    expect((await apiCall(app, 'POST', `/admin/volunteers/${reg.body.user.id}/verify`, {}, admin.body.token)).status).toBe(200);
    const me = await apiCall<object>(app, 'GET', '/auth/me', undefined, reg.body.token);
    const volunteerContext = await phoneContext(browser, app, { at: near });
    await volunteerContext.addInitScript((session) => {
      if (!localStorage.getItem('aed.session')) localStorage.setItem('aed.session', session);
    }, JSON.stringify({ ...reg.body, user: me.body }));
    let volunteer = await volunteerContext.newPage();
    await volunteer.goto(`${app.url}/responder`);
    await volunteer.getByRole('button', { name: '上岗（开始接收警报）' }).click();
    await volunteer.getByText(/正在共享位置/).waitFor();
    await eventually(async () => (await apiCall<{ position: unknown }>(app, 'GET', '/volunteer/duty', undefined, reg.body.token)).body.position, 'the position');
    await volunteer.close();

    const bystanderContext = await phoneContext(browser, app);
    const bystander = await bystanderContext.newPage();
    await bystander.goto(`${app.url}/e/${spot.code}`);
    await bystander.getByRole('button', { name: /SOS/ }).click();
    await bystander.getByText(/已通知 \d+ 名志愿者/).waitFor();

    volunteer = await volunteerContext.newPage();
    const errors = collectErrors(volunteer);
    await volunteer.goto(`${app.url}/responder`);
    const alert = volunteer.getByRole('alertdialog');
    await alert.waitFor();
    await alert.getByText(spot.buildingName).waitFor();
    await alert.getByRole('button', { name: '接受' }).click();
    await volunteer.getByTestId('mission').waitFor();

    await bystander.getByRole('button', { name: '取消求救（误报 / 已有人到场）' }).click();
    await bystander.getByRole('button', { name: '是，取消' }).click();
    await bystander.getByText('求救已取消。').waitFor();
    await volunteer.getByText('求救已取消，你可以返回。').waitFor();
    await volunteer.screenshot({ path: await screenshotPath('responder-8-cancelled.png') });
    expect(errors).toEqual([]);
    await Promise.all([volunteerContext.close(), bystanderContext.close()]);
  });
});
