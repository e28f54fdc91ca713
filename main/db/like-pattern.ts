// LIKE patterns from user text: %, _ and \ in what the user typed match themselves.
const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** matches values containing `text` */
export const containsPattern = (text: string): string => `%${escapeLike(text)}%`;

/** matches values starting with `text` */
export const prefixPattern = (text: string): string => `${escapeLike(text)}%`;
