//! The stable finding codes of the pipeline checks.

use crate::diag::{Code, Severity};

macro_rules! code {
    ($name:ident, $id:literal, $severity:ident, $summary:literal) => {
        #[doc = $summary]
        pub const $name: Code = Code {
            id: $id,
            severity: Severity::$severity,
            summary: $summary,
        };
    };
}

code!(
    NOT_JSON,
    "pipeline-not-json",
    Error,
    "the input is not JSON"
);
code!(
    NOT_PIPELINE,
    "pipeline-not-recognised",
    Error,
    "the JSON holds no ExportPipeline, ImportPipeline or PipelineRun"
);
code!(
    NAME,
    "pipeline-name",
    Error,
    "a pipeline or run name is not 5 to 50 letters and digits"
);
code!(
    API_VERSION,
    "pipeline-api-version",
    Warning,
    "the API version is not one the template reference lists"
);
code!(
    ENDPOINT_MISSING,
    "pipeline-endpoint-missing",
    Error,
    "a pipeline has no target or source"
);
code!(
    ENDPOINT_TYPE,
    "pipeline-endpoint-type",
    Warning,
    "the target or source type is not AzureStorageBlobContainer"
);
code!(
    STORAGE_URI,
    "pipeline-storage-uri",
    Error,
    "the storage URI is not an HTTPS blob container URI"
);
code!(
    ACCESS_MODE,
    "pipeline-access-mode",
    Error,
    "storageAccessMode is neither SasToken nor ManagedIdentity"
);
code!(
    KEYVAULT_MISSING,
    "pipeline-keyvault-missing",
    Error,
    "SasToken mode needs a Key Vault secret URI"
);
code!(
    KEYVAULT_UNEXPECTED,
    "pipeline-keyvault-unexpected",
    Warning,
    "ManagedIdentity mode does not use a Key Vault secret URI"
);
code!(
    KEYVAULT_URI,
    "pipeline-keyvault-uri",
    Error,
    "the Key Vault URI is not an HTTPS secret URI"
);
code!(
    API_TOO_OLD,
    "pipeline-api-too-old",
    Error,
    "storageAccessMode needs API version 2025-06-01-preview or later"
);
code!(
    IDENTITY,
    "pipeline-identity",
    Error,
    "the pipeline's identity cannot work"
);
code!(
    OPTION,
    "pipeline-option",
    Error,
    "an option is unknown or not valid for the pipeline's direction"
);
code!(
    OPTION_DUPLICATE,
    "pipeline-option-duplicate",
    Advice,
    "an option is listed twice"
);
code!(
    SOURCE_TRIGGER,
    "pipeline-source-trigger",
    Advice,
    "the import pipeline's source trigger is off or malformed"
);
code!(
    DELETE_ROLE,
    "pipeline-delete-needs-role",
    Advice,
    "DeleteSourceBlobOnSuccess needs delete rights on the storage account"
);
code!(
    PROVISIONING_FAILED,
    "pipeline-provisioning-failed",
    Error,
    "the resource's provisioning failed"
);
code!(
    RUN_PIPELINE_ID,
    "run-pipeline-id",
    Error,
    "the run's pipelineResourceId is not an export or import pipeline's ID"
);
code!(
    RUN_ARTIFACTS_MISSING,
    "run-artifacts-missing",
    Error,
    "an export run names no artifacts"
);
code!(
    RUN_TOO_MANY_ARTIFACTS,
    "run-too-many-artifacts",
    Error,
    "a run names more than 50 artifacts"
);
code!(
    RUN_ARTIFACT_INVALID,
    "run-artifact-invalid",
    Error,
    "an artifact is not repo, repo:tag or repo@sha256:<hex>"
);
code!(
    RUN_ARTIFACT_LATEST,
    "run-artifact-latest",
    Advice,
    "an artifact without tag or digest means :latest"
);
code!(
    RUN_ARTIFACT_DUPLICATE,
    "run-artifact-duplicate",
    Warning,
    "an artifact is listed twice"
);
code!(
    RUN_ARTIFACT_HOST,
    "run-artifact-registry-host",
    Warning,
    "an artifact starts with a registry host name"
);
code!(
    RUN_ARTIFACTS_IGNORED,
    "run-artifacts-ignored",
    Warning,
    "artifacts on an import run are not used"
);
code!(
    RUN_BLOB_NAME,
    "run-blob-name",
    Error,
    "the run's blob name is missing or not a valid blob name"
);
code!(RUN_FAILED, "run-failed", Error, "the pipeline run failed");
code!(
    RUN_NOT_FINISHED,
    "run-not-finished",
    Advice,
    "the pipeline run has not finished"
);
