import type { BootstrappedAdmin } from './bootstrap-admin';

/**
 * Straight to stdout, not through the logger: a generated password is shown
 * this once, on the console of whoever started the server, and never enters
 * the structured logs that get shipped elsewhere.
 */
export function printFirstAdmin(admin: BootstrappedAdmin, url: string, write: (text: string) => void = (text) => process.stdout.write(text)): void {
  const lines = admin.generatedPassword
    ? [
        'First start: an admin account was created.',
        `  sign in at  ${url}/sign-in`,
        `  e-mail      ${admin.email}`,
        `  password    ${admin.generatedPassword}`,
        'This password is shown only now. Sign in, change it under your e-mail at the top right, then invite your team from Admin.',
      ]
    : ['First start: an admin account was created from ADMIN_EMAIL / ADMIN_PASSWORD.', `  sign in at  ${url}/sign-in`, `  e-mail      ${admin.email}`];
  const rule = '='.repeat(72);
  write(`\n${rule}\n${lines.join('\n')}\n${rule}\n\n`);
}
