// Review step: one write-only field per secret the spec declares; the build tests tools with them.
import type { ServerSpecInput } from '../../../lib/spec/server-spec';
import { Field } from '../ui';

export function CredentialFields(props: {
  declared: NonNullable<ServerSpecInput['secrets']>;
  values: Record<string, string>;
  onChange: (name: string, value: string) => void;
  touched: boolean;
}) {
  if (props.declared.length === 0)
    return (
      <p className="alert alert-info" data-testid="no-credentials">
        No credentials needed: this API's tools do not use any secret.
      </p>
    );
  return props.declared.map((s) => (
    <Field
      key={s.name}
      label={s.name}
      id={`secret-${s.name}`}
      error={
        props.touched && !props.values[s.name]?.trim()
          ? `Enter ${s.name}; the build tests tools with it.`
          : undefined
      }
      hint={`${s.description ?? ''} Encrypted at rest, injected server-side, never shown again.`.trim()}
    >
      <input
        id={`secret-${s.name}`}
        type="password"
        autoComplete="off"
        value={props.values[s.name] ?? ''}
        onChange={(e) => props.onChange(s.name, e.target.value)}
      />
    </Field>
  ));
}
