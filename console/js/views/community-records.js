// Records of the community service (home-visit tasks, work orders), filled in once its API is known.
export const RECORD = {};
