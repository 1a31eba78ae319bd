// drawdown dashboard
