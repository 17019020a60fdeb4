/** The HTTP API's routes (API Gateway HTTP API route keys), dependency-free so the CDK app can declare them. */
export const API_ROUTES = {
  listSources: 'GET /sources',
  listSnapshots: 'GET /sources/{source}/snapshots',
  getSnapshot: 'GET /sources/{source}/snapshots/{id}',
  startBackup: 'POST /sources/{source}/snapshots',
  startRestore: 'POST /restores',
  getRestore: 'GET /restores/{id}',
} as const;

export type RouteKey = (typeof API_ROUTES)[keyof typeof API_ROUTES];

export const ROUTE_KEYS: readonly RouteKey[] = Object.values(API_ROUTES);

/** Matches a method and path to a route and its path parameters (for a $default route, or a proxy). */
export function matchRoute(method: string, path: string): { routeKey: RouteKey; pathParameters: Record<string, string> } | null {
  const segments = path.split('/').filter((s) => s !== '');
  for (const routeKey of ROUTE_KEYS) {
    const [routeMethod, template] = routeKey.split(' ');
    if (routeMethod !== method.toUpperCase()) continue;
    const parts = template.split('/').filter((s) => s !== '');
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const ok = parts.every((part, i) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (m === null) return part === segments[i];
      params[m[1]] = decodeURIComponent(segments[i]);
      return true;
    });
    if (ok) return { routeKey, pathParameters: params };
  }
  return null;
}
