// Typed errors with stable codes. Every layer throws these; one HTTP handler
// (core/http/middleware/errors.ts) maps them to the API error shape
// {"error": {"code", "message", "details"}} and anything else to a masked 500.

export type ErrorCode =
  | 'validation_failed'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export interface FieldProblem {
  path: string;
  message: string;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: unknown[];

  constructor(code: ErrorCode, status: number, message: string, details: unknown[] = []) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

export class ValidationError extends AppError {
  constructor(problems: FieldProblem[], message = 'The request is not valid.') {
    super('validation_failed', 400, message, problems);
  }
}

export class UnauthenticatedError extends AppError {
  constructor(message = 'Authentication is required.') {
    super('unauthenticated', 401, message);
  }
}

export class ForbiddenError extends AppError {
  constructor(message = 'You are not allowed to do this.') {
    super('forbidden', 403, message);
  }
}

export class NotFoundError extends AppError {
  constructor(message = 'Not found.') {
    super('not_found', 404, message);
  }
}

/**
 * Well-formed input that names something that is not there (a column the
 * board does not have, a room of another project, someone who is not a
 * member): 404 with the field it came in, so a form can show it there. A 400
 * is kept for input that is wrong whatever the state.
 */
export class UnknownReferenceError extends AppError {
  constructor(path: string, message: string, summary = message) {
    super('not_found', 404, summary, [{ path, message }]);
  }
}

/** A link or code from a mail or a chat reply that was used, expired or replaced. */
export class DeadLinkError extends UnknownReferenceError {}

export class ConflictError extends AppError {
  constructor(message: string, details: unknown[] = []) {
    super('conflict', 409, message, details);
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(limitBytes: number) {
    super('payload_too_large', 413, `The request body is larger than ${limitBytes} bytes.`);
  }
}

export class RateLimitedError extends AppError {
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('rate_limited', 429, `Too many requests; try again in ${retryAfterSeconds} s.`);
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class UnavailableError extends AppError {
  constructor(message = 'The service is temporarily unavailable.', details: unknown[] = []) {
    super('unavailable', 503, message, details);
  }
}
