import { SERVICES, type ErrorShape, type ServiceDescriptor, type ServiceId } from './services.js';

/**
 * An error the emulator sends back in AWS's wire shape. `code` is the bare shape name (what the
 * protocols say new servers should send); the message member name is chosen when rendering,
 * because it depends on the service (`Message` vs `message`).
 */
export class AwsError extends Error {
  constructor(
    readonly code: string,
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = code;
  }

  static of(shape: ErrorShape, message: string): AwsError {
    return new AwsError(shape.code, shape.statusCode, message);
  }
}

type ServiceErrorKind = 'validation' | 'invalidNextToken' | 'notFound' | 'throttling' | 'internal';

/** The service's own error for a kind of failure (each service names and codes them differently). */
export function serviceError(
  service: ServiceId | ServiceDescriptor,
  kind: ServiceErrorKind,
  message: string,
): AwsError {
  const descriptor = typeof service === 'string' ? SERVICES[service] : service;
  return AwsError.of(descriptor[kind], message);
}

/** Errors every AWS endpoint returns before a request reaches the service (common errors). */
export const commonErrors = {
  missingAuthenticationToken: () =>
    new AwsError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token'),
  incompleteSignature: (detail: string) => new AwsError('IncompleteSignatureException', 400, detail),
  unrecognizedClient: () =>
    new AwsError('UnrecognizedClientException', 403, 'The security token included in the request is invalid.'),
  expiredToken: () =>
    new AwsError('ExpiredTokenException', 403, 'The security token included in the request is expired'),
  invalidSignature: (
    detail = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  ) => new AwsError('InvalidSignatureException', 403, detail),
  unknownOperation: (detail = 'The requested operation is not supported by the emulator.') =>
    new AwsError('UnknownOperationException', 404, detail),
  serialization: (detail: string) => new AwsError('SerializationException', 400, detail),
  // AWS's common error for an unavailable service; used by the `down` fault.
  serviceUnavailable: () =>
    new AwsError('ServiceUnavailable', 503, 'The request has failed due to a temporary failure of the server.'),
  requestTooLarge: () => new AwsError('RequestEntityTooLargeException', 413, 'Request body is too large.'),
};

/**
 * The query APIs (STS, IAM, EC2) name the common errors differently from the JSON protocols: an awsQuery answer
 * carries these codes (and every other code unchanged).
 */
const QUERY_COMMON_ERROR_CODES: Readonly<Record<string, string>> = {
  MissingAuthenticationTokenException: 'MissingAuthenticationToken',
  IncompleteSignatureException: 'IncompleteSignature',
  UnrecognizedClientException: 'InvalidClientTokenId',
  InvalidSignatureException: 'SignatureDoesNotMatch',
  ExpiredTokenException: 'ExpiredToken',
  RequestEntityTooLargeException: 'RequestEntityTooLarge',
};

export function queryErrorCode(code: string): string {
  return QUERY_COMMON_ERROR_CODES[code] ?? code;
}
