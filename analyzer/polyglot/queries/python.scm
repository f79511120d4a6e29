; Captures lowered by lower_python.go, one node each.
(import_statement) @import
(import_from_statement) @import
(call) @call
(decorator) @decorator
(class_definition) @class
(function_definition) @func
(assignment) @assign
(with_item value: (as_pattern)) @with
(string) @string
(expression_statement . (string) @docstring .)
(concatenated_string) @string
(module (if_statement condition: (comparison_operator) @guard))
