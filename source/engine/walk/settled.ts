/** Timestamps on some file systems are coarse (a jiffy, or a second on ext3): treat changes this recent as not settled. */
export const racyWindowMs = 2000;
