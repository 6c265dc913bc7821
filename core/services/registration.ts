// Who may create an account. The policy comes from REGISTRATION and can be
// changed at run time by an instance admin (stored in settings); while the
// instance has no account at all the first sign-up is let in and becomes its
// admin, so a fresh install is never locked out.

import type { InstanceSettings, Registration } from '../domain/entities.js';
import { ForbiddenError } from '../errors.js';
import type { RegistrationOptionsView } from '../presenters/index.js';
import type { ServiceDeps } from './deps.js';
import type { AccountLinks, Postman } from './mail.js';
import type { AuthThrottle } from './throttle.js';

export const INSTANCE_SETTINGS_ID = 'instance';
/** Inserted with the first account: a second "first" sign-up racing it collides on this id and is judged by the policy. */
export const FIRST_ADMIN_MARKER_ID = 'first-admin';

export interface AuthDeps extends AccountDeps {
  throttle: AuthThrottle;
}

export interface AccountDeps extends ServiceDeps {
  postman: Postman;
  links: AccountLinks;
  /** REGISTRATION from the environment; an admin's choice in settings wins. */
  registration: Registration;
}

export async function currentRegistration(deps: AccountDeps): Promise<Registration> {
  return (await deps.store.settings.get(INSTANCE_SETTINGS_ID))?.registration ?? deps.registration;
}

export async function registrationOptions(deps: AccountDeps): Promise<RegistrationOptionsView> {
  return {
    registration: await currentRegistration(deps),
    firstUser: (await deps.store.users.count()) === 0,
    emailVerification: deps.postman.delivers,
  };
}

/** Whether a sign-up without an invite link is allowed now; throws the 403 a refused one gets. */
export async function requireOpenRegistration(deps: AccountDeps): Promise<void> {
  const policy = await currentRegistration(deps);
  if (policy === 'open') return;
  throw new ForbiddenError(
    policy === 'invite'
      ? 'Sign-up on this server needs an invite: ask a project admin to invite your address, then use the link in the mail.'
      : 'Sign-up on this server is closed: ask an administrator for an account.',
  );
}

export function settingsRecord(registration: Registration, updatedAt: string, updatedBy: string | null, id = INSTANCE_SETTINGS_ID): InstanceSettings {
  return { id, registration, updatedAt, updatedBy };
}
