/* global require, exports */
/**
 * Loaded by path (`failureConverterPath`) into the workflow bundle, the workers and the clients, so
 * plain CommonJS: Node's own require must read it under tsx, vitest and a prebuilt bundle alike.
 * Failure messages and stack traces travel as an encoded payload, which the payload codec seals,
 * instead of in clear text.
 */
const { DefaultFailureConverter } = require('@temporalio/common');

exports.failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
