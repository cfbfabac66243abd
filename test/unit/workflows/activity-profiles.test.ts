import { describe, expect, it } from '@jest/globals';
import { ACTIVITY_PROFILES, LOCAL_ACTIVITY_PROFILES } from '../../../workflows/activity-profiles';

/** An outage must delay an instance, not fail it: no profile of the engine's activities bounds its attempts. */
describe('activity profiles', () => {
  const profiles = { ...ACTIVITY_PROFILES, ...LOCAL_ACTIVITY_PROFILES };

  it.each(Object.entries(profiles))('%s retries without an attempt limit, its interval capped', (_name, profile) => {
    expect(profile.retry).not.toHaveProperty('maximumAttempts');
    expect(profile).not.toHaveProperty('scheduleToCloseTimeout');
    expect(profile.retry.maximumInterval).toBeDefined();
  });
});
