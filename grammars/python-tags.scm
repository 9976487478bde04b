; Definitions for the outline. Written for this project (see README.md).
(class_definition name: (identifier) @name) @definition.class
(function_definition name: (identifier) @name) @definition.function
