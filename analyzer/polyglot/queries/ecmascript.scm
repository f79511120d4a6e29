; Captures lowered by lower_js.go for JavaScript, TypeScript and TSX.
(import_statement) @import
(export_statement source: (_)) @import
(call_expression) @call
(new_expression) @call
(class_declaration) @class
(method_definition) @method
(function_declaration) @func
(variable_declarator) @var
(assignment_expression) @assign
(string) @string
(template_string) @string
