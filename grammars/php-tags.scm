; Definitions for the outline. Written for this project (see README.md).
(function_definition name: (name) @name) @definition.function
(class_declaration name: (name) @name) @definition.class
(interface_declaration name: (name) @name) @definition.interface
(trait_declaration name: (name) @name) @definition.interface
(method_declaration name: (name) @name) @definition.method
