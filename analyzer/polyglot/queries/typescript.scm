(public_field_definition) @field
(required_parameter) @param
(optional_parameter) @param
(abstract_class_declaration) @class
