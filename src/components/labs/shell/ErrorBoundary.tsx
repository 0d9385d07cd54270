/** Keeps a failure in a lab's view from taking the page down: says what failed, and keeps Reset and Reload working. */
import { Component, type ReactNode } from 'react';

interface Props {
  children: ReactNode;
  onReset: () => void;
}

export class LabErrorBoundary extends Component<Props, { error: Error | null }> {
  state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="lab-notice lab-notice-warn" role="alert" data-testid="lab-failed">
        <p>
          This part of the lab failed: <code>{error.message}</code>. Your saved work is kept. Reload the page, or reset the
          lab if it fails again.
        </p>
        <button type="button" onClick={() => location.reload()}>
          Reload the page
        </button>
        <button
          type="button"
          onClick={() => {
            if (!window.confirm('Reset this lab? Your work, results and notes for this lab are deleted.')) return;
            this.props.onReset();
            this.setState({ error: null });
          }}
        >
          Reset this lab
        </button>
      </div>
    );
  }
}
