import { useRoute } from './router.ts';

/** Composes the features per route. Placeholder screens until the bystander, responder and admin features land. */
export function App() {
  const route = useRoute();
  return (
    <main className="shell">
      <header className="shell-header">
        <span aria-hidden="true">❤</span> 校园AED急救网络 <span className="en">Campus AED responder network</span>
      </header>
      <a className="call-120" href="tel:120">
        拨打 120 · Call 120
      </a>
      {route.name === 'home' && (
        <nav aria-label="Sections">
          <p>扫描急救二维码以求助。Scan a first-aid QR code to raise an SOS.</p>
          <ul>
            <li><a href="/responder">志愿者 · Volunteer responders</a></li>
            <li><a href="/admin">管理后台 · Campus admin</a></li>
            <li><a href="/api/docs">API</a></li>
          </ul>
        </nav>
      )}
      {route.name === 'bystander' && <p>急救点 Spot: {route.code}</p>}
      {route.name === 'responder' && <p>志愿者应用即将上线 · The volunteer app comes next.</p>}
      {route.name === 'admin' && <p>管理后台即将上线 · The admin console comes next.</p>}
      {route.name === 'not-found' && <p>页面不存在 · Page not found. <a href="/">首页 · Home</a></p>}
    </main>
  );
}
