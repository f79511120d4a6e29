; Captures lowered by lower_java.go, one node each.
(package_declaration) @package
(import_declaration) @import
(method_invocation) @call
(object_creation_expression) @call
(class_declaration) @class
(interface_declaration) @class
(record_declaration) @class
(method_declaration) @method
(field_declaration) @var
(local_variable_declaration) @var
(formal_parameter) @param
(string_literal) @string
