import { BrowserRouter } from 'react-router';
import { AccessGate } from './access-gate';
import { AppProvider } from './provider';

export function App() {
  return (
    <AppProvider>
      <BrowserRouter>
        <AccessGate />
      </BrowserRouter>
    </AppProvider>
  );
}
