export const DEV_ISSUER_PORT = 3000;
