import { expect } from 'vitest';

interface InjectedResponse {
  statusCode: number;
  body: string;
  json(): unknown;
}

/** The response is `status` in the service's one error shape, `{ error: { code, message, details? } }`, and nothing else. */
export function expectStandardError(res: InjectedResponse, status: number, code?: string): void {
  expect(res.statusCode, res.body).toBe(status);
  const body = res.json() as { error: Record<string, unknown> };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error).toEqual(expect.objectContaining({ code: code ?? expect.any(String), message: expect.any(String) }));
  expect(Object.keys(body.error).every((key) => ['code', 'message', 'details'].includes(key))).toBe(true);
}
