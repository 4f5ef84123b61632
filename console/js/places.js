// Street and community names (GET /console/areas.json, the platform's reference data), fetched once.

let loaded = null;

export function places() {
  if (!loaded) {
    loaded = fetch('areas.json').then((r) => (r.ok ? r.json() : [])).catch(() => []).then((streets) => {
      const names = new Map();
      for (const street of streets) {
        names.set(street.code, street.name);
        for (const c of street.communities || []) names.set(c.code, c.name);
      }
      return { streets, names };
    });
  }
  return loaded;
}

export async function placeName(code) {
  if (!code) return '—';
  const { names } = await places();
  return names.get(code) || code;
}
