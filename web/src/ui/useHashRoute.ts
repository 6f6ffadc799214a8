/** The current hash route, following back/forward via `hashchange`. */
import { useEffect, useState } from 'preact/hooks';
import { parseRoute, type Route } from '../router.js';

export function useHashRoute(): Route {
  const [route, setRoute] = useState<Route>(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
