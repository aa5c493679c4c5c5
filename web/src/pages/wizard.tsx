// The 3-step wizard: describe → review → build (DESIGN §1).
import { useState } from 'react';
import type { ServerSpec, ServerSpecInput } from '../../../lib/spec/server-spec';
import { useSession } from '../session';
import { SignInRequired, Spinner } from '../ui';
import { BuildStep } from '../wizard/build-step';
import { DescribeStep, type Described } from '../wizard/describe-step';
import { ReviewStep } from '../wizard/review-step';

const STEPS = ['Describe', 'Review', 'Build'];

export default function Wizard() {
  const { state } = useSession();
  const [step, setStep] = useState(0);
  const [described, setDescribed] = useState<Described>({
    source: 'openapi',
    text: '',
    name: '',
    slug: '',
  });
  const [proposal, setProposal] = useState<{ spec: ServerSpecInput; warnings: string[] }>();
  const [final, setFinal] = useState<{ spec: ServerSpec; secrets: Record<string, string> }>();

  if (state.status === 'loading') return <Spinner label="Loading…" />;
  if (state.status !== 'signed-in') return <SignInRequired />;
  return (
    <div className="wizard">
      <h1>New server</h1>
      <ol className="stepper" aria-label="Progress">
        {STEPS.map((s, i) => (
          <li
            key={s}
            aria-current={i === step ? 'step' : undefined}
            className={i < step ? 'done' : ''}
          >
            <span aria-hidden="true">{i + 1}</span> {s}
          </li>
        ))}
      </ol>
      {step === 0 && (
        <DescribeStep
          initial={described}
          onPreview={(d, p) => {
            setDescribed(d);
            setProposal({
              spec: p.spec,
              warnings: (p.warnings ?? []).map((w) => (typeof w === 'string' ? w : w.message)),
            });
            setStep(1);
          }}
        />
      )}
      {step === 1 && proposal && (
        <ReviewStep
          spec={proposal.spec}
          warnings={proposal.warnings}
          onBack={() => setStep(0)}
          onConfirm={(spec, secrets) => {
            setFinal({ spec, secrets });
            setStep(2);
          }}
        />
      )}
      {step === 2 && final && (
        <BuildStep spec={final.spec} secrets={final.secrets} onBack={() => setStep(1)} />
      )}
    </div>
  );
}
