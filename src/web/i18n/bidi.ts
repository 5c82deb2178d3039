/**
 * Left-to-right isolation for phone numbers and addresses inside Arabic text.
 * In a right-to-left paragraph the spaces between digit groups take the
 * paragraph's direction, so "06 12 34 56 78" would read "78 56 34 12 06".
 * U+2066 (LRI) … U+2069 (PDI) keep the run left-to-right without affecting
 * the text around it; plain strings stay plain (hints, errors, emails).
 */
export const ltr = (text: string): string => `\u2066${text}\u2069`;
