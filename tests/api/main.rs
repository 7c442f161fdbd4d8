mod contract;
mod crash;
mod experts;
mod health;
mod helpers;
mod needs;
mod tags;
mod validation;
