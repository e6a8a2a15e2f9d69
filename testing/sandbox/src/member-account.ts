/** The simulated member account the harnesses and messages use. */
export const MEMBER_ACCOUNT = '111111111111';
