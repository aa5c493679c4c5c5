// The 3-step wizard: describe → review → build (DESIGN §1).
import { useState } from 'react';
import type { ServerSpec } from '../../../lib/spec/server-spec';
import { useSession } from '../session';
import { SignInRequired, Spinner } from '../ui';
import { BuildStep } from '../wizard/build-step';
import {
  DescribeStep,
  requestPreview,
  type Described,
  type Preview,
} from '../wizard/describe-step';
import { ReviewStep, type BuildOptions } from '../wizard/review-step';

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
  const [preview, setPreview] = useState<Preview>();
  const [round, setRound] = useState(0);
  const [final, setFinal] = useState<{
    spec: ServerSpec;
    secrets: Record<string, string>;
    options: BuildOptions;
  }>();

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
            setPreview(p);
            setRound((r) => r + 1);
            setStep(1);
          }}
        />
      )}
      {/* Kept mounted during the build so "Back to review" returns to the edits and credentials. */}
      {step >= 1 && preview && (
        <div hidden={step !== 1}>
          <ReviewStep
            key={round}
            spec={preview.spec}
            warnings={preview.warnings}
            previewIssues={preview.issues}
            operations={preview.operations}
            onReselect={async (ids) => {
              setPreview(await requestPreview(described, ids));
              setRound((r) => r + 1);
            }}
            onBack={() => setStep(0)}
            onConfirm={(spec, secrets, options) => {
              setFinal({ spec, secrets, options });
              setStep(2);
            }}
          />
        </div>
      )}
      {step === 2 && final && (
        <BuildStep
          spec={final.spec}
          secrets={final.secrets}
          options={final.options}
          onBack={() => setStep(1)}
        />
      )}
    </div>
  );
}
