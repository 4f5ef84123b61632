// What each role sees and may do in the console. The gateway and the services enforce the same rules on
// every request; this only keeps people away from pages they could not use (a resident never gets staff
// pages, not even their frame).

export const STAFF = ['admin', 'auditor', 'renovation', 'jobs', 'jobs-approver', 'community', 'doctor'];

// Areas of the platform, in the order the overview shows them (URL names of the gateway's routes).
export const AREAS = ['renovation', 'jobs', 'community', 'chronic-care'];

// Who may write in an area (admin always may; auditors never do).
const WRITERS = {
  renovation: ['renovation'],
  jobs: ['jobs', 'jobs-approver'],
  community: ['community'],
  'chronic-care': ['doctor'],
};

export const PAGES = {
  overview: { title: '一屏统览', roles: STAFF },
  board: { title: '实时告警', roles: ['admin', 'auditor', 'community'] },
  worklists: { title: '工作清单', roles: STAFF },
  record: { title: '记录详情', roles: STAFF },
  mine: { title: '我的服务', roles: ['resident'] },
};

export const NAV = ['overview', 'board', 'worklists', 'mine'];

const has = (roles, allowed) => roles.some((r) => allowed.includes(r));

export function canSee(roles, page) {
  const def = PAGES[page];
  return Boolean(def) && has(roles, def.roles);
}

export function canAct(roles, area) {
  return roles.includes('admin') || has(roles, WRITERS[area] || []);
}

export function homeFor(roles) {
  if (has(roles, STAFF)) return 'overview';
  if (roles.includes('resident')) return 'mine';
  return 'denied';
}

// Worklists and the roles that work them (auditors and admin see all of them, read-only for auditors).
export const WORKLISTS = {
  'care-follow-ups': { area: 'chronic-care', roles: ['doctor', 'admin', 'auditor'] },
  'jobs-follow-ups': { area: 'jobs', roles: ['jobs', 'jobs-approver', 'admin', 'auditor'] },
  'home-visits': { area: 'community', roles: ['community', 'admin', 'auditor'] },
  'acceptance': { area: 'renovation', roles: ['renovation', 'admin', 'auditor'] },
};

export function worklistsFor(roles) {
  return Object.keys(WORKLISTS).filter((id) => has(roles, WORKLISTS[id].roles));
}
