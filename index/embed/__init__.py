"""The embedding model: locations, the runtime ONNX encoder, the reference encoder and provisioning."""
