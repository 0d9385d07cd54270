/**
 * The Open Inference Protocol (V2), REST flavour, as KServe and Triton document it
 * (kserve.github.io/website/docs/concepts/architecture/data-plane/v2-protocol):
 *
 *   GET  /v2/health/live              → 200 { live: true }
 *   GET  /v2/health/ready             → 200 { ready: true }
 *   GET  /v2/models/{name}            → 200 { name, versions, platform, inputs, outputs }
 *   GET  /v2/models/{name}/ready      → 200 { name, ready: true }
 *   POST /v2/models/{name}/infer      → 200 { model_name, id?, outputs: [{ name, shape, datatype, data }] }
 *
 * An inference request carries `inputs: [{ name, shape, datatype, data }]`; `data` holds the tensor's elements in
 * row-major order, flat or nested. Errors answer with an HTTP error status and `{ error: "<message>" }`: 400 for a
 * request that does not fit the model, 404 for a model the server does not have (as KServe's model server does).
 * The lab's reference server (labs/serving/server/reference.mjs) implements it; labs/serving/server/contract.mjs checks any server. The
 * lab's model, the dense MNIST classifier, is described in labs/serving/server/mnist-dense.mjs (plain JavaScript, so
 * serve.mjs runs it under Node without TypeScript).
 */

export const DATATYPES = ['BOOL', 'UINT8', 'UINT16', 'UINT32', 'UINT64', 'INT8', 'INT16', 'INT32', 'INT64', 'FP16', 'FP32', 'FP64', 'BYTES'] as const;
export type Datatype = (typeof DATATYPES)[number];

export interface TensorMetadata {
  name: string;
  datatype: Datatype;
  /** -1 marks a variable dimension (the batch). */
  shape: number[];
}

export interface ModelMetadata {
  name: string;
  versions: string[];
  platform: string;
  inputs: TensorMetadata[];
  outputs: TensorMetadata[];
}
