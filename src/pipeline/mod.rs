//! Pipeline resources: ExportPipeline, ImportPipeline and PipelineRun.
