; Definitions for the outline. Written for this project (see README.md).
(function_definition name: (word) @name) @definition.function
