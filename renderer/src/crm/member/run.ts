/** How a member page's part runs a call: the page shows its error or `done` note, then reloads the member. */
export type Run = (fn: () => Promise<unknown>, done?: string) => Promise<unknown>;
