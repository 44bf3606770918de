/** This SDK's version, sent at registration (kept in step with package.json by a unit test). */
export const SDK_VERSION = '0.1.0';

/** This SDK's package name, sent at registration. */
export const SDK_NAME = '@breaker-panel/sdk';
