//! Image manifests: foreign layers, layer sizes, digests and media types.
