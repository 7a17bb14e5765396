import { AppProvider } from './provider';
import { AppRouter } from './router';
import { Shell } from './shell';
import { useLiveUpdates } from './live-updates';

function LiveUpdates() {
  useLiveUpdates();
  return null;
}

export function App() {
  return (
    <AppProvider>
      <LiveUpdates />
      <Shell>
        <AppRouter />
      </Shell>
    </AppProvider>
  );
}
