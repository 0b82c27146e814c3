// Package components holds small pieces shared by pages.
package components

// Form carries what the member typed and what was wrong with it, so a form re-renders intact.
type Form struct {
	Values map[string]string
	Errors map[string]string
}

// Value returns the typed value of field.
func (f Form) Value(field string) string { return f.Values[field] }

// Error returns the message for field, or "".
func (f Form) Error(field string) string { return f.Errors[field] }

// HasErrors reports whether any field has a message.
func (f Form) HasErrors() bool { return len(f.Errors) > 0 }

// Field describes one input.
type Field struct {
	Name         string
	Label        string
	Type         string // text, password, textarea
	Hint         string
	Autocomplete string
	MaxLength    int
	Required     bool
}
