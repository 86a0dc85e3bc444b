import { useEffect, useState } from 'react';

export type Route =
  | { name: 'home' }
  | { name: 'bystander'; code: string }
  | { name: 'responder' }
  | { name: 'admin' }
  | { name: 'not-found' };

/** Maps a path to a screen. A tiny matcher: four screens do not need a router library. */
export function matchRoute(pathname: string): Route {
  const qr = pathname.match(/^\/e\/([A-Za-z0-9_-]{1,64})\/?$/);
  if (qr) return { name: 'bystander', code: qr[1]! };
  if (/^\/responder(\/.*)?$/.test(pathname)) return { name: 'responder' };
  if (/^\/admin(\/.*)?$/.test(pathname)) return { name: 'admin' };
  if (pathname === '/' || pathname === '') return { name: 'home' };
  return { name: 'not-found' };
}

/** The current route; follows history navigation. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => matchRoute(window.location.pathname));
  useEffect(() => {
    const onPop = () => setRoute(matchRoute(window.location.pathname));
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  return route;
}
